// `npm run bench`: prints speed and memory figures. Benchmarks are measurements, never tests.
console.log(`node ${process.version}, ${new Date().toISOString()}\n`);
await import('./engine.js');
console.log('');
await import('./services.js');
console.log('');
await import('./runbook-height.js');
console.log('');
await import('./load.js');
console.log('');
await import('./ack.js');
