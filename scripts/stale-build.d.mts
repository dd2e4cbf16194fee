/** Why dist/ cannot be used as is (missing, or older than a file it is built from), or null when it is current. */
export function staleBuild(root?: string): string | null;
