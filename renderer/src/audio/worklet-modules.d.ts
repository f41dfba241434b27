/** Vite bundles `?worker&url` imports as a separate script and gives its URL (the AudioWorklet module). */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
