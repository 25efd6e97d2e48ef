export * from '#store/memory/memory-notices.ts';
