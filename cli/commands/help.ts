/** `aftercare help [COMMAND]`: the list of commands, or one command's --help. */
import { UsageError } from '../errors.ts';
import type { Command } from './command.ts';

interface Listed {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

export function makeHelpCommand(commands: () => readonly Listed[]): Command {
  const overview = (): string =>
    [
      'Usage: aftercare COMMAND [options]',
      '',
      'Aftercare: SLA clocks, breaches, service credits and the contract cycle.',
      '',
      'Commands:',
      ...commands().map((command) => `  ${command.name.padEnd(10)} ${command.summary}`),
      '',
      'Every command takes --help. Commands that talk to AWS use the standard SDK chain for region and',
      'credentials; --local talks to the stack `npm start` runs instead.',
    ].join('\n');
  const help: Command = {
    name: 'help',
    get usage() {
      return overview();
    },
    run(argv, output) {
      const [name, ...rest] = argv.filter((arg) => arg !== '--help' && arg !== '-h');
      if (rest.length > 0) throw new UsageError(`help: unexpected argument "${rest[0] ?? ''}"`);
      if (name === undefined) {
        output.out(overview());
        return Promise.resolve(0);
      }
      const listed = commands().find((c) => c.name === name);
      if (listed === undefined) throw new UsageError(`help: no command "${name}" (see \`aftercare help\`)`);
      return listed.load().then((command) => {
        output.out(command.usage);
        return 0;
      });
    },
  };
  return help;
}
