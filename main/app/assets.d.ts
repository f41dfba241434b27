/** electron-vite copies a `?asset` import next to the main bundle and gives its path at run time. */
declare module '*?asset' {
  const path: string;
  export default path;
}
