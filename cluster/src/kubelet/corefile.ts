/**
 * kubeadm's Corefile and the digest CoreDNS's reload plugin logs for it. The plugin does not hash the file's
 * bytes: its hook (plugin/reload/reload.go) parses the input with caddyfile.Parse(path, body, nil) and hashes
 * json.Marshal of the server blocks, `Running configuration SHA512 = %x`. A server block marshals as
 * {"Keys":[...],"Tokens":{<directive>:[{"File","Line","Text"}...]}}: Go sorts the map's keys, a token of the
 * main file has an empty File (only imported files set it; caddyfile.NewDispenser lexes without a name), and a
 * directive's tokens run from its name to the end of its line or of its braces, braces included.
 */
import { createHash } from 'crypto';
import { Interner } from '../runtime/intern';

/** kubeadm's Corefile template (cmd/kubeadm/app/phases/addons/dns/manifests.go) for cluster.local. */
export const KUBEADM_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

interface Token { File: string; Line: number; Text: string }
interface ServerBlock { Keys: string[]; Tokens: Map<string, Token[]> }

/** caddyfile's lexer: whitespace separates tokens, `#` comments to the line's end, `"` quotes (only `\"` escapes). */
function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let val = '';
  let start = 0;
  let comment = false;
  let quoted = false;
  let escaped = false;
  let open = false;
  const emit = () => { tokens.push({ File: '', Line: start, Text: val }); val = ''; open = false; };
  for (const ch of text) {
    if (quoted) {
      if (!escaped && ch === '\\') { escaped = true; continue; }
      if (!escaped && ch === '"') { quoted = false; emit(); continue; }
      if (ch === '\n') line++;
      if (escaped && ch !== '"') val += '\\';
      val += ch;
      escaped = false;
      continue;
    }
    if (/\s/.test(ch)) {
      if (ch === '\r') continue;
      if (ch === '\n') { line++; comment = false; }
      if (open) emit();
      continue;
    }
    if (ch === '#') comment = true;
    if (comment) continue;
    if (!open) {
      open = true;
      start = line;
      if (ch === '"') { quoted = true; continue; }
    }
    val += ch;
  }
  if (open) emit();
  return tokens;
}

/** caddyfile.Parse without imports, snippets or environment placeholders (kubeadm's Corefile has none). */
function parse(text: string): ServerBlock[] {
  const t = lex(text);
  let cur = -1;
  const next = () => ++cur < t.length;
  const val = () => t[cur]?.Text ?? '';
  // Dispenser.isNewLine: the token starts below the previous one's last line.
  const newLine = () => cur < 1 || (cur < t.length && t[cur - 1].Line + (t[cur - 1].Text.match(/\n/g)?.length ?? 0) < t[cur].Line);
  const blocks: ServerBlock[] = [];
  while (next()) {
    const block: ServerBlock = { Keys: [], Tokens: new Map() };
    let eof = false;
    let another = false;
    for (;;) {
      let key = val();
      if (key === '{') break;
      if (key !== '') {
        another = key.endsWith(',');
        if (another) key = key.slice(0, -1);
        block.Keys.push(key);
      }
      if (!next()) { eof = true; break; }
      if (!another && newLine()) break;
    }
    if (!eof) {
      const braced = val() === '{';
      if (!braced) cur--;
      while (next() && val() !== '}') {
        const dir = val();
        const list = block.Tokens.get(dir) ?? [];
        block.Tokens.set(dir, list);
        list.push(t[cur]);
        let nesting = 0;
        while (next()) {
          if (val() === '{') nesting++;
          else if (newLine() && nesting === 0) { cur--; break; }
          else if (val() === '}' && nesting > 0) nesting--;
          else if (val() === '}') break;
          list.push(t[cur]);
        }
      }
    }
    if (block.Keys.length) blocks.push(block);
  }
  return blocks;
}

/** encoding/json's string form: JSON.stringify's, plus Go's HTML-safe escapes of <, > and & and of U+2028/U+2029. */
function goJSON(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const digests = new Interner<string>(100);

/** The SHA512 the reload plugin logs for a Corefile's text (hex, as `%x` prints the [64]byte). */
export function corefileSha512(text: string): string {
  return digests.get(text, computeSha512);
}

function computeSha512(text: string): string {
  const blocks = parse(text).map((b) => ({ Keys: b.Keys, Tokens: Object.fromEntries([...b.Tokens.keys()].sort().map((k) => [k, b.Tokens.get(k)])) }));
  return createHash('sha512').update(goJSON(blocks)).digest('hex');
}
