// The loader of a helper worker (src/helper.rs). The worker that spawns it
// posts its own compiled WebAssembly.Module as the first message, so the
// helper instantiates that (8 ms measured) rather than fetching and
// compiling the 2.3 MB worker_bg.wasm again: a helper spawned during an
// analysis must be ready before the analysis offers it its fits. Anything
// else posted first, and the helper loads the file as the first worker did.
importScripts("./worker.js");
self.onmessage = (event) => {
  self.onmessage = null;
  const module = event.data instanceof WebAssembly.Module ? event.data : "./worker_bg.wasm";
  wasm_bindgen({ module_or_path: module });
};
