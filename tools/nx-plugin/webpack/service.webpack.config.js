// The one webpack build of every service. The build target that tools/nx-plugin infers from
// apps/<name>/service.json runs `webpack-cli build --config <this file>` in the service's folder;
// NxAppWebpackPlugin reads the rest (project, configuration) from the Nx task it runs in.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { workspaceRoot } = require('@nx/devkit');
const { existsSync } = require('node:fs');
const { join, relative } = require('node:path');

const serviceRoot = process.cwd();

module.exports = {
  output: {
    // dist/apps/<name>/main.js: where npm start, the e2e stack and the Dockerfile look for it.
    path: join(workspaceRoot, 'dist', relative(workspaceRoot, serviceRoot)),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && { devtoolModuleFilenameTemplate: '[absolute-resource-path]' }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      // tsc, not esbuild or swc defaults: NestJS injection needs decorator metadata.
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.json',
      assets: [
        ...(existsSync(join(serviceRoot, 'src/assets')) ? ['./src/assets'] : []),
        // Files a feature serves as they are (pages, browser scripts): src/<feature>/public/ → <feature>/public/.
        { input: './src', glob: '*/public/**', output: '.' },
      ],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
  ],
};
