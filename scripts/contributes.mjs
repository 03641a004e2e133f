#!/usr/bin/env node
// Writes the client's fields of package.json ("contributes", "activationEvents", "main", "l10n")
// with a read-modify-write, leaving every other field alone: `node scripts/contributes.mjs`.
// Titles are %keys% of package.nls.json.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const file = path.join(root, 'package.json');

const cmd = (id, icon) => ({ command: `kubeplay.${id}`, title: `%kubeplay.command.${id}%`, category: '%kubeplay.category%', ...(icon ? { icon: `$(${icon})` } : {}) });
const commands = [
  cmd('applyFile', 'play'), cmd('dryRunFile', 'beaker'), cmd('deleteFile', 'trash'),
  cmd('applyDocument'), cmd('dryRunDocument'), cmd('deleteDocument'),
  cmd('delete', 'trash'), cmd('scale', 'arrow-both'), cmd('rolloutRestart', 'debug-restart'), cmd('rolloutUndo', 'discard'),
  cmd('setImage', 'package'), cmd('killPod', 'debug-stop'), cmd('crashPod', 'flame'),
  cmd('describe', 'info'), cmd('showYaml', 'file-code'), cmd('showLogs', 'output'), cmd('explain', 'book'),
  cmd('addNode', 'add'), cmd('failNode', 'debug-disconnect'), cmd('recoverNode', 'debug-start'),
  cmd('cordon', 'debug-pause'), cmd('uncordon', 'debug-continue'), cmd('drain', 'arrow-down'),
  cmd('reset', 'clear-all'), cmd('pause', 'debug-pause'), cmd('resume', 'debug-continue'), cmd('speed', 'dashboard'),
  cmd('openTerminal', 'terminal'), cmd('switchTarget', 'plug'), cmd('refresh', 'refresh'),
  cmd('openExample', 'file-add'), cmd('showOutput', 'output'), cmd('openWalkthrough', 'book'),
];

const objects = 'viewItem =~ /^kubeplay\\.(pod|deployment|replicaset|statefulset|daemonset|job|cronjob|replicationcontroller|service|configmap|secret|node|object|namespace)/';
const item = (id, when, group) => ({ command: `kubeplay.${id}`, when: `view == kubeplay.cluster && ${when}`, group });
const viewItemContext = [
  item('describe', objects, '1_inspect@1'),
  item('showYaml', objects, '1_inspect@2'),
  item('showLogs', 'viewItem == kubeplay.pod', '1_inspect@3'),
  item('killPod', 'viewItem == kubeplay.pod', '2_edit@1'),
  item('crashPod', 'viewItem == kubeplay.pod && kubeplay.playground', '2_edit@1'),
  item('scale', 'viewItem =~ /^kubeplay\\.(deployment|statefulset|replicaset|replicationcontroller)$/', '2_edit@2'),
  item('rolloutRestart', 'viewItem =~ /^kubeplay\\.(deployment|statefulset|daemonset)$/', '2_edit@3'),
  item('rolloutUndo', 'viewItem == kubeplay.deployment', '2_edit@4'),
  item('setImage', 'viewItem =~ /^kubeplay\\.(deployment|statefulset|daemonset|replicaset|replicationcontroller|job)$/', '2_edit@5'),
  item('cordon', 'viewItem == kubeplay.node', '3_node@1'),
  item('uncordon', 'viewItem == kubeplay.node.cordoned', '3_node@2'),
  item('drain', 'viewItem =~ /^kubeplay\\.node/', '3_node@3'),
  item('failNode', 'viewItem =~ /^kubeplay\\.node/ && kubeplay.playground', '3_node@4'),
  item('recoverNode', 'viewItem =~ /^kubeplay\\.node/ && kubeplay.playground', '3_node@5'),
  item('delete', objects, '9_delete@1'),
  item('killPod', 'viewItem == kubeplay.pod', 'inline'),
  item('describe', objects, 'inline'),
];

const contributes = {
  viewsContainers: { activitybar: [{ id: 'kubeplay', title: '%kubeplay.container.title%', icon: 'media/kubeplay.svg' }] },
  views: { kubeplay: [{ id: 'kubeplay.cluster', name: '%kubeplay.view.cluster%', icon: 'media/kubeplay.svg', contextualTitle: '%kubeplay.container.title%' }] },
  commands,
  menus: {
    'editor/title': [
      { command: 'kubeplay.applyFile', when: 'resourceLangId == yaml', group: 'navigation@1' },
      { command: 'kubeplay.dryRunFile', when: 'resourceLangId == yaml', group: 'kubeplay@1' },
      { command: 'kubeplay.deleteFile', when: 'resourceLangId == yaml', group: 'kubeplay@2' },
    ],
    'editor/context': [{ command: 'kubeplay.explain', when: 'resourceLangId == yaml', group: 'kubeplay@1' }],
    'view/title': [
      { command: 'kubeplay.switchTarget', when: 'view == kubeplay.cluster', group: 'navigation@1' },
      { command: 'kubeplay.openTerminal', when: 'view == kubeplay.cluster', group: 'navigation@2' },
      { command: 'kubeplay.addNode', when: 'view == kubeplay.cluster && kubeplay.playground', group: 'navigation@3' },
      { command: 'kubeplay.refresh', when: 'view == kubeplay.cluster', group: 'navigation@9' },
      { command: 'kubeplay.pause', when: 'view == kubeplay.cluster && kubeplay.playground', group: '1_time@1' },
      { command: 'kubeplay.resume', when: 'view == kubeplay.cluster && kubeplay.playground', group: '1_time@2' },
      { command: 'kubeplay.speed', when: 'view == kubeplay.cluster && kubeplay.playground', group: '1_time@3' },
      { command: 'kubeplay.reset', when: 'view == kubeplay.cluster && kubeplay.playground', group: '2_state@1' },
      { command: 'kubeplay.openExample', when: 'view == kubeplay.cluster', group: '3_help@1' },
      { command: 'kubeplay.showOutput', when: 'view == kubeplay.cluster', group: '3_help@2' },
      { command: 'kubeplay.openWalkthrough', when: 'view == kubeplay.cluster', group: '3_help@3' },
    ],
    'view/item/context': viewItemContext,
    commandPalette: [
      { command: 'kubeplay.applyDocument', when: 'false' },
      { command: 'kubeplay.dryRunDocument', when: 'false' },
      { command: 'kubeplay.deleteDocument', when: 'false' },
    ],
  },
  configuration: {
    title: '%kubeplay.config.title%',
    properties: {
      'kubeplay.target': { type: 'string', default: 'playground', markdownDescription: '%kubeplay.config.target%', scope: 'window' },
      'kubeplay.nodes': { type: 'integer', default: 3, minimum: 1, maximum: 5000, markdownDescription: '%kubeplay.config.nodes%' },
      'kubeplay.nodeCapacity': {
        type: 'object', markdownDescription: '%kubeplay.config.nodeCapacity%',
        default: { cpu: '4', memory: '16Gi', pods: '110' },
        properties: { cpu: { type: 'string' }, memory: { type: 'string' }, pods: { type: ['string', 'integer'] } },
        additionalProperties: false,
      },
      'kubeplay.speed': { type: 'number', default: 1, exclusiveMinimum: 0, markdownDescription: '%kubeplay.config.speed%' },
      'kubeplay.kubernetesVersion': { type: 'string', default: '', pattern: '^(v?\\d+\\.\\d+(\\.\\d+)?)?$', markdownDescription: '%kubeplay.config.kubernetesVersion%', scope: 'resource' },
      'kubeplay.lint': {
        type: 'object', default: {}, markdownDescription: '%kubeplay.config.lint%', scope: 'resource',
        additionalProperties: { type: 'string', enum: ['error', 'warning', 'information', 'hint', 'off'] },
      },
    },
  },
  grammars: [{ scopeName: 'kubeplay.kubernetes.injection', path: './syntaxes/kubernetes.injection.tmLanguage.json', injectTo: ['source.yaml'] }],
  walkthroughs: [{
    id: 'gettingStarted',
    title: '%kubeplay.walkthrough.title%',
    description: '%kubeplay.walkthrough.description%',
    steps: [
      { id: 'openExample', title: '%kubeplay.walkthrough.open.title%', description: '%kubeplay.walkthrough.open.description%', media: { markdown: '%kubeplay.walkthrough.open.media%' }, completionEvents: ['onCommand:kubeplay.openExample'] },
      { id: 'apply', title: '%kubeplay.walkthrough.apply.title%', description: '%kubeplay.walkthrough.apply.description%', media: { markdown: '%kubeplay.walkthrough.apply.media%' }, completionEvents: ['onCommand:kubeplay.applyDocument', 'onCommand:kubeplay.applyFile'] },
      { id: 'scale', title: '%kubeplay.walkthrough.scale.title%', description: '%kubeplay.walkthrough.scale.description%', media: { markdown: '%kubeplay.walkthrough.scale.media%' }, completionEvents: ['onCommand:kubeplay.scale'] },
      { id: 'killPod', title: '%kubeplay.walkthrough.kill.title%', description: '%kubeplay.walkthrough.kill.description%', media: { markdown: '%kubeplay.walkthrough.kill.media%' }, completionEvents: ['onCommand:kubeplay.killPod'] },
      { id: 'failNode', title: '%kubeplay.walkthrough.fail.title%', description: '%kubeplay.walkthrough.fail.description%', media: { markdown: '%kubeplay.walkthrough.fail.media%' }, completionEvents: ['onCommand:kubeplay.failNode'] },
    ],
  }],
};

const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.main = './dist/client.js';
pkg.activationEvents = ['onLanguage:yaml', 'onView:kubeplay.cluster'];
pkg.l10n = './l10n';
pkg.contributes = { ...(pkg.contributes ?? {}), ...contributes };
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(`package.json: ${commands.length} commands, ${viewItemContext.length} tree menu items`);
