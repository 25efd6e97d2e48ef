export * from '#store/memory/memory-source-lags.ts';
