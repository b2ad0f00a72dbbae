// The filter layer's error: a libpcap message, turned into TsvsError('TSVS_ERR_FILTER') at the API edge.

export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}
