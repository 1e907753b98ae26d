// The loader of a helper worker (src/helper.rs). The worker that spawns it
// posts its own compiled WebAssembly.Module as the first message, so the
// helper instantiates that in milliseconds rather than fetching and
// compiling worker_bg.wasm again: about 600 ms on the 2-core benchmark
// machine, which left a helper spawned during an analysis not ready when
// the analysis offered it its fits. Anything else posted first, and the
// helper loads the file as the first worker did.
importScripts("./worker.js");
self.onmessage = (event) => {
  self.onmessage = null;
  const module = event.data instanceof WebAssembly.Module ? event.data : "./worker_bg.wasm";
  wasm_bindgen({ module_or_path: module });
};
