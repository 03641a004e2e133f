/**
 * Quick-fix titles in Simplified Chinese. The fixes build their titles in English (codeActions.ts); each
 * pattern here matches one of those forms and keeps what it quotes (values, names, YAML) as it is, since
 * that is what the fix writes into the file. A title no pattern knows stays English.
 */
type Rule = [RegExp, (...m: string[]) => string];

const RULES: Rule[] = [
  [/^Change apiVersion to (\S+) and add the selector it requires$/, (v) => `将 apiVersion 改为 ${v}，并添加它要求的 selector`],
  [/^Change apiVersion to (\S+)$/, (v) => `将 apiVersion 改为 ${v}`],
  [/^Change the image to (.+)$/, (v) => `将镜像改为 ${v}`],
  [/^Change kind to (.+)$/, (v) => `将 kind 改为 ${v}`],
  [/^Change to (.+)$/, (v) => `改为 ${v}`],
  [/^Use port (.+)$/, (v) => `改用端口 ${v}`],
  [/^Probe (\S+) instead$/, (v) => `改为探测 ${v}`],
  [/^Keep (nginx|redis) in the foreground \((.+)\)$/, (p, v) => `让 ${p} 在前台运行（${v}）`],
  [/^Write (\$\(\S+\)), which Kubernetes expands$/, (v) => `改写为 Kubernetes 会展开的 ${v}`],
  [/^Take (\S+) from Secret (\S+) \(key (\S+)\)$/, (v, s, k) => `从 Secret ${s} 的键 ${k} 读取 ${v}`],
  [/^Write the port as a number \((\d+)\)$/, (v) => `把端口写成数字（${v}）`],
  [/^Write it as a number \((.+)\)$/, (v) => `写成数字（${v}）`],
  [/^Add the missing base64 padding$/, () => '补上缺失的 base64 填充（=）'],
  [/^Encode the value as base64$/, () => '把值编码为 base64'],
  [/^Make it relative \((.+)\)$/, (v) => `改为相对路径（${v}）`],
  [/^Set maxUnavailable to 1$/, () => '将 maxUnavailable 设为 1'],
  [/^Set topologyKey to (\S+)$/, (v) => `将 topologyKey 设为 ${v}`],
  [/^Quote the value \((.+)\)$/, (v) => `给值加上引号（${v}）`],
  [/^Add a space after the colon$/, () => '在冒号后加一个空格'],
  [/^Indent with spaces instead of tabs$/, () => '用空格代替制表符缩进'],
  [/^Indent it with (\d+) spaces, as its siblings$/, (n) => `与同级的键对齐，缩进 ${n} 个空格`],
  [/^Rename to (".*") \(and its (\d+) uses?\)$/, (v, n) => `重命名为 ${v}（连同引用它的 ${n} 处）`],
  [/^Rename to (".*")$/, (v) => `重命名为 ${v}`],
  [/^Remove the kubernetes\.io\/ingress\.class annotation$/, () => '删除 kubernetes.io/ingress.class 注解'],
  [/^Remove (\S+)$/, (v) => `删除 ${v}`],
  [/^Add pathType: (\S+)$/, (v) => `添加 pathType: ${v}`],
  [/^Add ingressClassName: (\S+)$/, (v) => `添加 ingressClassName: ${v}`],
  [/^Add the selector, matching the template's labels$/, () => '添加与模板标签一致的 selector'],
  [/^Add required field (".*")$/, (v) => `添加必填字段 ${v}`],
  [/^Add the selector's labels to the pod template$/, () => '把 selector 的标签加到 Pod 模板上'],
  [/^Use the template labels as the selector$/, () => '用模板的标签作为 selector'],
  [/^Declare volume (".*") \(emptyDir\)$/, (v) => `声明卷 ${v}（emptyDir）`],
  [/^Allow DNS: egress to the kube-dns pods in kube-system on port 53 \(UDP and TCP\)$/, () => '放行 DNS：允许出站到 kube-system 中 kube-dns Pod 的 53 端口（UDP 和 TCP）'],
  [/^Set restartPolicy to (\S+)$/, (v) => `将 restartPolicy 设为 ${v}`],
  [/^Make it a sidecar \(restartPolicy: Always\)$/, () => '改为边车容器（restartPolicy: Always）'],
  [/^Meet the restricted Pod Security level \(.*\)$/, () => '满足 restricted Pod 安全级别（非 root、RuntimeDefault seccomp、禁止提权、丢弃全部 capabilities）'],
  [/^Split into (\d+) items \((.*)\)$/, (n, v) => `拆成 ${n} 项（${v}）`],
  [/^Remove the blanks around (".*")$/, (v) => `去掉 ${v} 前后的空格`],
  [/^Set (.+) \(ResourceQuota (".*") tracks them\)$/, (v, q) => `设置 ${v}（ResourceQuota ${q} 统计这些资源）`],
];

/** The title in Chinese when a pattern knows it; otherwise the English title. */
export function zhFixTitle(title: string): string {
  for (const [re, fn] of RULES) {
    const m = re.exec(title);
    if (m) return fn(...m.slice(1));
  }
  return title;
}
