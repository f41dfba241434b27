export * from './xml.ts';
export * from './is-composing.ts';
export * from './imdn.ts';
export * from './pidf.ts';
