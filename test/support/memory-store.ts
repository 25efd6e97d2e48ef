export * from '#store/memory/memory-store.ts';
