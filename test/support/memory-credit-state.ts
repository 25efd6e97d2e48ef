export * from '#store/memory/memory-credit-state.ts';
