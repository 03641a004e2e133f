/**
 * `kubeplay <command>`: one entry for the language server, the validator,
 * the playground server and the main job. Each command lives in its own
 * module and is loaded only when asked for, so `kubeplay validate` does not
 * pay for the control plane and `kubeplay lsp` starts fast.
 */

type Runner = (argv: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Runner }> = {
  start: { summary: 'the main job: run examples/ on the playground and show what happens', load: () => require('./start').runStart },
  serve: { summary: 'serve the playground over the Kubernetes HTTP API (kubectl works against it)', load: () => require('./serve').runServe },
  validate: { summary: 'validate manifests (files, folders, - for stdin) like the editor does', load: () => require('./validate').runValidate },
  lsp: { summary: 'run the language server (--stdio)', load: () => require('./lsp').runLsp },
};

export function usage(): string {
  const lines = ['Usage: kubeplay <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `kubeplay <command> --help` for the options of a command.');
  return lines.join('\n');
}

/** The version of the package this file ships in (works bundled and compiled). */
function packageVersion(): string {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8'));
      if (pkg.name === 'kubeplay') return pkg.version;
    }
  }
  return 'unknown';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    console.log(packageVersion());
    return 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    console.error(`kubeplay: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return cmd.load()(rest);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(`kubeplay: ${err?.stack ?? err}`);
      process.exitCode = 2;
    },
  );
}
