/**
 * The apiserver's x509 authenticator (k8s.io/apiserver/pkg/authentication/request/x509): a client certificate
 * that chains to the client CA (--client-ca-file), is valid now and may authenticate clients (extKeyUsage
 * clientAuth, or none) is the user named by its subject's CommonName, in the groups of its Organizations
 * (CommonNameUserConversion), plus system:authenticated; its extra `authentication.kubernetes.io/credential-id` is
 * `X509SHA256=` and the hex SHA-256 of the certificate, and a subject UID attribute (1.3.6.1.4.1.57683.2, asn1util.X509UID;
 * AllowParsingUserUIDFromCertAuth is on by default since 1.33) is its UID. A certificate that fails those checks authenticates
 * nobody, and the request falls through to its bearer token, if any (the union authenticator).
 *
 * Validity is judged against the playground's clock, the one the CSR signer dates certificates by.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type * as http from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../auth/issuer';
import { children, nameAttributes, OID_CN, OID_O, readDer } from '../auth/der';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';
/** asn1util.X509UID(): the Kubernetes arc of the CNCF's enterprise number, suffix 2. */
const OID_K8S_UID = '1.3.6.1.4.1.57683.2';
/** user.CredentialIDKey. */
const CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

interface Verified { user: UserInfo | undefined; notBefore: number; notAfter: number }

export class ClientCertificateAuthenticator {
  private readonly ca: X509Certificate;
  /** What a connection's certificate was found to be: verified once per TLS connection, dated per request. */
  private readonly bySocket = new WeakMap<object, Verified>();

  constructor(caPem: string, private readonly now: () => number) {
    this.ca = new X509Certificate(caPem);
  }

  authenticate(req: http.IncomingMessage): UserInfo | undefined {
    const socket = req.socket as TLSSocket | undefined;
    if (!socket || typeof socket.getPeerCertificate !== 'function') return undefined;
    let v = this.bySocket.get(socket);
    if (!v) {
      v = this.verify(socket);
      this.bySocket.set(socket, v);
    }
    if (!v.user) return undefined;
    const now = this.now();
    return now >= v.notBefore && now <= v.notAfter ? v.user : undefined;
  }

  private verify(socket: TLSSocket): Verified {
    const none: Verified = { user: undefined, notBefore: 0, notAfter: 0 };
    const peer = socket.getPeerCertificate();
    if (!peer || !peer.raw) return none;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(peer.raw);
      if (!cert.checkIssued(this.ca) || !cert.verify(this.ca.publicKey)) return none;
    } catch {
      return none;
    }
    // Verify with KeyUsages [ClientAuth]: a certificate without extKeyUsage may be used for anything.
    const eku = cert.keyUsage;
    if (eku && eku.length && !eku.includes(CLIENT_AUTH) && !eku.includes(ANY_EKU)) return none;
    const der = cert.raw;
    const tbs = children(der, readDer(der))[0];
    const fields = children(der, tbs);
    const subject = fields[(fields[0].tag === 0xa0 ? 1 : 0) + 4];
    const attrs = nameAttributes(der, subject);
    const cn = [...attrs].reverse().find((a) => a.oid === OID_CN)?.value ?? '';
    // An empty CommonName authenticates nobody.
    if (!cn) return none;
    // parseUIDFromCert: more than one UID, or an empty one, is an error, and the certificate authenticates nobody.
    const uids = attrs.filter((a) => a.oid === OID_K8S_UID).map((a) => a.value);
    if (uids.length > 1 || uids[0] === '') return none;
    const groups = attrs.filter((a) => a.oid === OID_O).map((a) => a.value);
    if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
    const user: UserInfo = {
      username: cn,
      ...(uids.length ? { uid: uids[0] } : {}),
      groups,
      extra: { [CREDENTIAL_ID]: [`X509SHA256=${createHash('sha256').update(der).digest('hex')}`] },
    };
    return { user, notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo) };
  }
}
