export * from '#store/memory/memory-delivery-feedback.ts';
