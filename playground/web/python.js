// Calls into the Playground's Python, which runs in a Web Worker
// (worker.js): `ready` is a promise of its versions once loaded, and each
// call a promise of its result. Calls run one at a time, in the order made.
// `restart()` ends a Python that is stuck (a cell that never returns) and
// loads a fresh one.
export class Python {
  constructor() {
    this.pending = new Map(); // call id -> {resolve, reject}
    this.nextId = 0;
    this.start();
  }

  start() {
    this.worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = ({ data }) => {
        if ("ready" in data) return resolve(data.ready);
        if ("failed" in data) return reject(new Error(data.failed));
        const { resolve: answer, reject: fail } = this.pending.get(data.id);
        this.pending.delete(data.id);
        if ("error" in data) fail(new Error(data.error));
        else answer(data.result);
      };
      this.worker.onerror = (event) => {
        reject(new Error(event.message || "the Python worker failed to start"));
      };
    });
  }

  restart() {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error("Python was restarted"));
    this.pending.clear();
    this.start();
  }

  call(name, args = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, name, args });
    });
  }
}
