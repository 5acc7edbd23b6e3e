// @switchboard/tools: the workspace's own Nx plugin (nx.json "plugins"; generators in ../generators.json).
export { createNodes, createNodesV2 } from './service-projects';
