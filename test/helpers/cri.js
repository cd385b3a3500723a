'use strict';
// A minimal CRI client (Kubernetes' runtime.v1 RuntimeService, as the
// kubelet calls it) over containerd's gRPC socket: the suite drives the CRI
// plugin with it, which picks the runtime by RunPodSandbox's
// runtime_handler, exactly as a RuntimeClass's handler does. The proto is
// the subset in test/fixtures/cri/api.proto.
const path = require('path');
const grpc = requireDev('@grpc/grpc-js');
const protoLoader = requireDev('@grpc/proto-loader');

/** A devDependency, or one line saying how to get it (a node_modules copied from before it was added). */
function requireDev(name) {
  try {
    return require(name);
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(`${name} is missing: it is a devDependency of ts-oci (the CRI client); run npm ci (or npm install)`);
  }
}

const PROTO = path.join(__dirname, '../fixtures/cri/api.proto');

class CriClient {
  constructor(socket) {
    const def = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: String, defaults: true });
    const { RuntimeService } = grpc.loadPackageDefinition(def).runtime.v1;
    this.client = new RuntimeService(`unix://${socket}`, grpc.credentials.createInsecure());
  }

  /** One unary call; rejects with the gRPC status's message. */
  call(method, request = {}, timeoutMs = 60000) {
    return new Promise((resolve, reject) => {
      this.client[method](request, { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new Error(`CRI ${method}: ${err.details || err.message}`));
        else resolve(res);
      });
    });
  }

  close() {
    this.client.close();
  }
}

module.exports = { CriClient };
