// The live connection: one EventSource on /events narrowed to the selected sample. The browser reconnects by itself
// and sends Last-Event-ID, and the server resumes after it; a new sample means a new stream with a fresh snapshot.
export class Stream {
  constructor(onBatch, onStatus) {
    this.onBatch = onBatch;
    this.onStatus = onStatus;
    this.source = null;
  }

  open(selection) {
    this.close();
    const params = new URLSearchParams();
    if (selection) {
      params.set('experiment', selection.experimentId);
      params.set('sample', selection.sampleId);
    }
    const source = new EventSource('/events?' + params.toString());
    source.addEventListener('batch', (e) => this.onBatch(JSON.parse(e.data)));
    source.onopen = () => this.onStatus('live');
    source.onerror = () => this.onStatus(source.readyState === EventSource.CLOSED ? 'down' : 'reconnecting');
    this.source = source;
  }

  close() {
    if (this.source) this.source.close();
    this.source = null;
  }
}
