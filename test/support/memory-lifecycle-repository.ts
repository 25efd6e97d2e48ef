export * from '#store/memory/memory-lifecycle-repository.ts';
