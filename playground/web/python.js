// Calls into the Playground's Python, which runs in a Web Worker
// (worker.js): each call is a promise of its result. Calls run one at a
// time in the order made.
export class Python {
  constructor(onReady, onFailed) {
    this.pending = new Map(); // call id -> {resolve, reject}
    this.nextId = 0;
    this.worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = ({ data }) => {
      if ("ready" in data) return onReady(data.ready);
      if ("failed" in data) return onFailed(data.failed);
      const { resolve, reject } = this.pending.get(data.id);
      this.pending.delete(data.id);
      if ("error" in data) reject(new Error(data.error));
      else resolve(data.result);
    };
    this.worker.onerror = (event) => onFailed(event.message || "the Python worker failed to start");
  }

  call(name, args = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, name, args });
    });
  }
}
