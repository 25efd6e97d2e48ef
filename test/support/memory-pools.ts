export * from '#store/memory/memory-pools.ts';
