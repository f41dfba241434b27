/** electron-vite copies a `?asset` import next to the main bundle and gives its path at run time. */
declare module '*?asset' {
  const path: string;
  export default path;
}

/** electron-vite emits a worker entry as its own chunk and gives its path. */
declare module '*?modulePath' {
  const path: string;
  export default path;
}
