export * from './xml.ts';
export * from './is-composing.ts';
export * from './imdn.ts';
export * from './pidf.ts';
export * from './watcherinfo.ts';
export * from './pres-rules.ts';
