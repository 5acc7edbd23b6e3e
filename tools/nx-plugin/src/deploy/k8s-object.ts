/** apiVersion, kind, and the name and labels every object of a service carries. */
export function objectHead(apiVersion: string, kind: string, name: string): string {
  return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: switchboard
`;
}
