/** DynamoDB Local is a Java program: find out whether a Java 17+ runtime is on PATH before spawning it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EmulatorError } from './errors.ts';

export const MINIMUM_JAVA = 17;
const HOW_TO_INSTALL = 'install a Java 17+ runtime, e.g. `apt-get install openjdk-17-jdk-headless` or https://adoptium.net';

/** The Java command: `$AFTERCARE_JAVA`, else `java` (`AFTERCARE_JAVA=no-java npm start` tries the stack as on a machine without Java). */
export function javaCommand(environment: NodeJS.ProcessEnv = process.env): string {
  const configured = environment.AFTERCARE_JAVA;
  return configured !== undefined && configured !== '' ? configured : 'java';
}

/** The Java major version when a Java 17+ runtime answers `-version`, else why not (for a one-line message). */
export async function findJava(command = javaCommand()): Promise<{ readonly major: number } | { readonly missing: string }> {
  try {
    return { major: await requireJava(command) };
  } catch (error) {
    if (error instanceof EmulatorError) return { missing: error.message };
    throw error;
  }
}

/** The major version in `java -version` output: `openjdk version "17.0.15"` → 17, `"1.8.0_392"` → 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Resolves to the Java major version, or throws an EmulatorError saying what is missing and how to install it. */
export async function requireJava(command = javaCommand()): Promise<number> {
  const output = await promisify(execFile)(command, ['-version'], { timeout: 15_000 }).then(
    ({ stdout, stderr }) => `${stderr}${stdout}`,
    (error: unknown) => {
      const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
      throw new EmulatorError(
        missing
          ? `DynamoDB Local needs Java ${MINIMUM_JAVA}+ but \`${command}\` is not on PATH: ${HOW_TO_INSTALL}`
          : `DynamoDB Local needs Java ${MINIMUM_JAVA}+ but \`${command} -version\` failed (${String(error)}): ${HOW_TO_INSTALL}`,
      );
    },
  );
  const major = javaMajorVersion(output);
  if (major === undefined || major < MINIMUM_JAVA) {
    const found = major === undefined ? 'an unknown version' : `Java ${major}`;
    throw new EmulatorError(`DynamoDB Local needs Java ${MINIMUM_JAVA}+ but found ${found}: ${HOW_TO_INSTALL}`);
  }
  return major;
}

/** Whether `java` can run a source file (the source launcher lives in the `jdk.compiler` module: a JDK, not a JRE). */
export async function hasJavaCompiler(command = javaCommand()): Promise<boolean> {
  return promisify(execFile)(command, ['--list-modules'], { timeout: 15_000 }).then(
    ({ stdout }) => /^jdk\.compiler@/m.test(stdout),
    () => false,
  );
}
