import { describe, expect, it } from 'vitest';
import { chooseLocalEngine } from '#cli/commands/local.ts';
import { findJava, javaCommand } from '#cli/local/java.ts';

describe('which engine npm start runs the table on', () => {
  it('keeps DynamoDB Local when Java 17+ answers, without a word', async () => {
    expect(await chooseLocalEngine(undefined, () => Promise.resolve({ major: 21 }))).toEqual({ engine: 'dynamodb-local', notice: null });
  });
  it('falls back to the memory engine without Java, saying how to get DynamoDB Local', async () => {
    const chosen = await chooseLocalEngine(undefined, () => Promise.resolve({ missing: 'DynamoDB Local needs Java 17+ but found Java 11' }));
    expect(chosen.engine).toBe('memory');
    expect(chosen.notice).toContain('`java -version`');
    expect(chosen.notice).toContain('sudo apt-get install openjdk-17-jdk-headless');
    expect(chosen.notice).toContain('https://adoptium.net');
    expect(chosen.notice).not.toContain('\n');
  });
  it('takes --engine as named and refuses an unknown one', async () => {
    const noJavaAsked = () => Promise.reject(new Error('java must not be asked'));
    expect(await chooseLocalEngine('memory', noJavaAsked)).toEqual({ engine: 'memory', notice: null });
    await expect(chooseLocalEngine('dynamo', noJavaAsked)).rejects.toThrow('--engine must be one of dynamodb-local, memory, not dynamo');
  });
  it('asks the java command AFTERCARE_JAVA names, and reports a missing one as missing', async () => {
    expect(javaCommand({ AFTERCARE_JAVA: '/opt/jdk-21/bin/java' })).toBe('/opt/jdk-21/bin/java');
    expect(javaCommand({})).toBe('java');
    const found = await findJava('aftercare-test-no-such-java');
    expect('missing' in found && found.missing).toContain('`aftercare-test-no-such-java` is not on PATH');
  });
});
