/**
 * A container's imagePullPolicy when it sets none (SetDefaults_Container):
 * `:latest` or no tag (and no digest) pulls Always; anything else IfNotPresent.
 * Shared by the apiserver's defaulting and the editor's hover.
 */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const tag = colon > slash ? ref.slice(colon + 1) : at >= 0 ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}
