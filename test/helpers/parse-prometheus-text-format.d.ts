/** The parser ships no types: its one export takes the text format and answers the families (see prometheus.ts). */
declare module 'parse-prometheus-text-format' {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
