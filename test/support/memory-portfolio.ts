export * from '#store/memory/memory-portfolio.ts';
