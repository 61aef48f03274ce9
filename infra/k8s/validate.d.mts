// Types of validate.mjs for its TypeScript callers (packages/api/test/unit/k8s).
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // Rendered manifests are arbitrary JSON below the metadata.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
}
export interface KustomizationResult {
  dir: string;
  objects: K8sObject[];
  problems: string[];
}
export const k8sDir: string;
export const repoRoot: string;
export function kustomizations(): string[];
export function render(dir: string): string;
export function parseDocuments(text: string): K8sObject[];
export function describe(o: K8sObject): string;
export function validateObjects(objects: K8sObject[]): string[];
export function validateKustomizations(dirs?: string[]): KustomizationResult[];
