// Copies node icons and codex JSON into dist/ next to the compiled nodes. Nothing else:
// TypeScript does the compiling, and nothing from test/ or sandbox/ may reach the package.
const { src, dest } = require('gulp');

function buildIcons() {
  return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
    base: '.',
    encoding: false,
  }).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
