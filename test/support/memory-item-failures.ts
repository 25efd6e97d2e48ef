export * from '#store/memory/memory-item-failures.ts';
