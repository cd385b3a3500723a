'use strict';
// Descriptors over unix sockets: the addon's connectUnix/sendFd/recvFd and
// sync-channel frames that carry a descriptor (FRAME_FD_FLAG).
const { expect } = require('chai');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { native } = require('../../dist/native');
const { readFrame, FRAME_FD_FLAG } = require('../../dist/runtime/sync-channel');
const { catchError } = require('../helpers/catch-error');

describe('fd passing', () => {
  let dir, server, accepted, client, file;

  /** A listening socket whose accepted end libuv never reads (pauseOnConnect). */
  async function pair() {
    const sockPath = path.join(dir, 'sock');
    server = net.createServer({ pauseOnConnect: true });
    await new Promise((resolve) => server.listen(sockPath, resolve));
    const gotConn = new Promise((resolve) => server.once('connection', resolve));
    client = native().connectUnix(sockPath);
    accepted = await gotConn;
    return accepted._handle.fd;
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-fdpass-'));
    file = path.join(dir, 'f');
    fs.writeFileSync(file, 'through the socket');
  });
  afterEach(() => {
    if (client >= 0) native().close(client);
    client = -1;
    accepted?.destroy();
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('recvFd returns the bytes and a close-on-exec descriptor of the same file', async () => {
    const serverFd = await pair();
    const sent = fs.openSync(file, 'r');
    native().sendFd(client, sent, Buffer.from('name'));
    fs.closeSync(sent);
    const { fd, data } = await native().recvFd(serverFd, 64);
    expect(data.toString()).to.equal('name');
    expect(fd).to.be.greaterThan(2);
    expect(fs.fstatSync(fd).ino).to.equal(fs.statSync(file).ino);
    const flags = parseInt(/flags:\s+(\d+)/.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))[1], 8);
    expect(flags & 0o2000000, 'O_CLOEXEC').to.not.equal(0);
    fs.closeSync(fd);
  });

  it('recvFd without a descriptor gives fd -1, and EOF gives empty data', async () => {
    const serverFd = await pair();
    fs.writeSync(client, 'plain');
    const first = await native().recvFd(serverFd, 64);
    expect(first).to.deep.include({ fd: -1 });
    expect(first.data.toString()).to.equal('plain');
    native().close(client);
    client = -1;
    const eof = await native().recvFd(serverFd, 64);
    expect(eof.fd).to.equal(-1);
    expect(eof.data.length).to.equal(0);
  });

  it('readFrame returns the descriptor of an FRAME_FD_FLAG frame and keeps the next frame intact', async () => {
    const serverFd = await pair();
    const type = FRAME_FD_FLAG | 20;
    const head = Buffer.alloc(8);
    head.writeUInt32LE(type, 0);
    head.writeUInt32LE(4, 4);
    fs.writeSync(client, head);
    const sent = fs.openSync(file, 'r');
    native().sendFd(client, sent, Buffer.from('meta'));
    fs.closeSync(sent);
    const next = Buffer.alloc(9);
    next.writeUInt32LE(12, 0);
    next.writeUInt32LE(1, 4);
    next.write('z', 8);
    fs.writeSync(client, next);

    const frame = await readFrame(serverFd);
    expect(frame.type).to.equal(type);
    expect(frame.payload.toString()).to.equal('meta');
    expect(fs.fstatSync(frame.fd).ino).to.equal(fs.statSync(file).ino);
    fs.closeSync(frame.fd);
    const plain = await readFrame(serverFd);
    expect(plain).to.deep.equal({ type: 12, payload: Buffer.from('z'), fd: -1 });
  });

  it('sendFd refuses an empty payload; connectUnix names the path it could not reach', () => {
    expect(() => native().sendFd(0, 0, Buffer.alloc(0))).to.throw(TypeError, /non-empty/);
    const e = catchError(() => native().connectUnix(path.join(dir, 'nobody')));
    expect(e).to.include({ code: 'ENOENT', syscall: 'connect' });
  });
});
