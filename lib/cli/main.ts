#!/usr/bin/env node
/**
 * The `gem-snn` command line. Each subcommand lives in its own module under `lib/cli/` and exports
 * `run(argv): Promise<number>` (the exit code); they are loaded lazily so `--help` stays instant.
 */
import { VERSION } from '../version';

interface Command {
  summary: string;
  /** Loads the module lazily (require keeps the CommonJS build simple). */
  load: () => { run: (argv: string[]) => Promise<number> };
}

/** Subcommand table: one line per command module. */
const COMMANDS: Record<string, Command> = {
  reproduce: { summary: 'run the experiments of a profile, write results/ and the claims table', load: () => require('./reproduce') },
  runs: { summary: 'the run cache of a profile: status (cached/missing runs), merge DIR... (records from other caches)', load: () => require('./runs') },
  bench: { summary: 'training and inference throughput on seeded random spikes (JSON lines)', load: () => require('./bench') },
  kernel: { summary: 'register the tslab Jupyter kernel of this project (kernel install|status)', load: () => require('./kernel') },
  data: { summary: 'MNIST-DVS data: fetch the official archives, inspect AEDAT files, emulate recordings, prepare cached tensors, calibrate', load: () => require('./data') },
};

function usage(): string {
  const rows = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
    .join('\n');
  return [
    `gem-snn ${VERSION}: multi-sample online learning for probabilistic spiking neural networks (GEM-SNN)`,
    '',
    'Usage: gem-snn <command> [options]      (gem-snn <command> --help for its options)',
    '',
    'Commands:',
    rows || '  (none)',
    '',
    'Options:',
    '  --help, -h     show this help',
    '  --version, -V  print the version',
  ].join('\n');
}

/** Dispatches `argv` (without node and script) to a subcommand; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(usage());
    return 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    console.log(VERSION);
    return 0;
  }
  // own keys only: a name like 'toString' is an unknown command, not Object.prototype's
  const entry = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!entry) {
    console.error(`gem-snn: unknown command '${cmd}'. Known commands: ${Object.keys(COMMANDS).join(', ') || 'none'}.`);
    console.error("Run 'gem-snn --help' for usage.");
    return 2;
  }
  const mod = entry.load();
  return mod.run(rest);
}

/** Runs the command line with `argv`, printing errors and setting process.exitCode. */
export function runCli(argv: string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`gem-snn: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.GEM_DEBUG) console.error(err);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runCli(process.argv.slice(2));
