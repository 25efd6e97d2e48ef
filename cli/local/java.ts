/** DynamoDB Local is a Java program: find out whether a Java 17+ runtime is on PATH before spawning it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EmulatorError } from './errors.ts';

export const MINIMUM_JAVA = 17;
const HOW_TO_INSTALL = 'install a Java 17+ runtime, e.g. `apt-get install openjdk-17-jdk-headless` or https://adoptium.net';

/** The major version in `java -version` output: `openjdk version "17.0.15"` → 17, `"1.8.0_392"` → 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Resolves to the Java major version, or throws an EmulatorError saying what is missing and how to install it. */
export async function requireJava(javaCommand = 'java'): Promise<number> {
  const output = await promisify(execFile)(javaCommand, ['-version'], { timeout: 15_000 }).then(
    ({ stdout, stderr }) => `${stderr}${stdout}`,
    (error: unknown) => {
      const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
      throw new EmulatorError(
        missing
          ? `DynamoDB Local needs Java ${MINIMUM_JAVA}+ but \`${javaCommand}\` is not on PATH: ${HOW_TO_INSTALL}`
          : `DynamoDB Local needs Java ${MINIMUM_JAVA}+ but \`${javaCommand} -version\` failed (${String(error)}): ${HOW_TO_INSTALL}`,
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
export async function hasJavaCompiler(javaCommand = 'java'): Promise<boolean> {
  return promisify(execFile)(javaCommand, ['--list-modules'], { timeout: 15_000 }).then(
    ({ stdout }) => /^jdk\.compiler@/m.test(stdout),
    () => false,
  );
}
