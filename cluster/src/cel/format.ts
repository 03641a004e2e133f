/**
 * The Kubernetes format library (apiserver/pkg/cel/library/format.go, in the base environment since 1.31):
 * `format.named(name)` gives an optional kubernetes.NamedFormat, `format.dns1123Label()` and the other constants give
 * one directly, and `<format>.validate(s)` gives optional.none() for a valid string or an optional list of the
 * reasons it is not, in the words of apimachinery's validators (the playground's kube/src/names.ts) and of
 * kube-openapi's strfmt for the CRD formats.
 *
 * Cost (library/cost.go): `format.named` 1; `validate` is estimated as the string's size times 0.1, times
 * MaxNameFormatRegexSize (128) times 0.25; when it runs, CallCost's `validate` case looks for a cel.Format value while
 * the library's formats are *cel.Format, so the case never applies and the call costs cel-go's default 1.
 */
import type * as CelJs from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../../kube/src/names';
import { goQuote } from '../kubelet/hooks';

/** apiservercel.Format: a named string validation; two formats are equal when their names are. */
export class NamedFormat {
  constructor(
    readonly name: string,
    readonly validate: (s: string) => string[],
  ) {}
}

class FormatNamespace {}

/** apimachinery/pkg/api/validation maskTrailingDash: a generateName prefix may end in '-'. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name;
}

const prefixed = (f: (s: string) => string[]) => (s: string) => f(maskTrailingDash(s));

/** time.Parse("2006-01-02", s) succeeds: four-digit year, two-digit month and a day within it. */
function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
}

/** kube-openapi strfmt IsDateTime: a date, a `t` (any case), then DateTimePattern with hours, minutes, seconds in range. */
function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const m = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(parts[1]);
  return !!m && m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}

/** url.ParseRequestURI's error for `s`, as url.Error prints it (`parse "<s>": <reason>`), or undefined. */
function requestURIError(s: string): string | undefined {
  const why = (() => {
    // net/url parse: control characters first, then the scheme, then what a request URI must be.
    if (/[\x00-\x1f\x7f]/.test(s)) return 'net/url: invalid control character in URL';
    if (s.startsWith(':')) return 'missing protocol scheme';
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(s);
    const rest = scheme ? s.slice(scheme[0].length) : s;
    if (!rest.startsWith('/')) return scheme ? undefined : 'invalid URI for request';
    const bad = /%(?![0-9A-Fa-f]{2})(.{0,2})/.exec(rest.split('?')[0]);
    if (bad) return `invalid URL escape ${goQuote('%' + bad[1])}`;
    if (scheme && rest.startsWith('//')) {
      const authority = rest.slice(2).split(/[/?]/)[0];
      const host = authority.slice(authority.lastIndexOf('@') + 1);
      const port = /^(?:\[[^\]]*\]|[^:]*)(:.*)$/.exec(host)?.[1];
      if (port !== undefined && !/^:[0-9]*$/.test(port)) return `invalid port ${goQuote(port)} after host`;
    }
    return undefined;
  })();
  return why === undefined ? undefined : `parse ${goQuote(s)}: ${why}`;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const one = (ok: (s: string) => boolean, msg: string) => (s: string) => (ok(s) ? [] : [msg]);

/** format.go ConstantFormats, by the names format.named() takes. */
export const FORMATS: ReadonlyMap<string, NamedFormat> = new Map(
  (
    [
      ['dns1123Label', 'DNS1123Label', isDNS1123Label],
      ['dns1123Subdomain', 'DNS1123Subdomain', isDNS1123Subdomain],
      ['dns1035Label', 'DNS1035Label', isDNS1035Label],
      ['qualifiedName', 'QualifiedName', isQualifiedName],
      ['dns1123LabelPrefix', 'DNS1123LabelPrefix', prefixed(isDNS1123Label)],
      ['dns1123SubdomainPrefix', 'DNS1123SubdomainPrefix', prefixed(isDNS1123Subdomain)],
      ['dns1035LabelPrefix', 'DNS1035LabelPrefix', prefixed(isDNS1035Label)],
      ['labelValue', 'LabelValue', isValidLabelValue],
      ['uri', 'URI', (s: string) => { const e = requestURIError(s); return e ? [e] : []; }],
      ['uuid', 'uuid', one((s) => UUID.test(s), 'does not match the UUID format')],
      ['byte', 'byte', one((s) => BASE64.test(s), 'invalid base64')],
      ['date', 'date', one(isDate, 'invalid date')],
      ['datetime', 'datetime', one(isDateTime, 'invalid datetime')],
    ] as [string, string, (s: string) => string[]][]
  ).map(([key, name, f]) => [key, new NamedFormat(name, f)]),
);

export function registerFormat(env: CelJs.Environment, optional: { of(v: unknown): unknown; none(): unknown }): void {
  env.registerType('format', FormatNamespace);
  env.registerConstant('format', 'format', new FormatNamespace());
  env.registerType('kubernetes.NamedFormat', NamedFormat);
  env.registerFunction('format.named(string): optional<kubernetes.NamedFormat>', (_: unknown, name: string) => {
    const f = FORMATS.get(name);
    return f ? optional.of(f) : optional.none();
  });
  for (const [key, f] of FORMATS) env.registerFunction(`format.${key}(): kubernetes.NamedFormat`, () => f);
  env.registerFunction('kubernetes.NamedFormat.validate(string): optional<list<string>>', (f: NamedFormat, s: string) => {
    const errs = f.validate(s);
    return errs.length ? optional.of(errs) : optional.none();
  });
  // Format.Equal: the same name.
  env.registerOperator('kubernetes.NamedFormat == kubernetes.NamedFormat', (a: NamedFormat, b: NamedFormat) => a.name === b.name);
}
