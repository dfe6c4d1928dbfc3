// Runs webpack on webpack.config.js through its Node API (what `npx webpack`
// does, without installing webpack-cli); fails on any error or warning.
import webpack from 'webpack';
import config from './webpack.config.js';

webpack(config, (err, stats) => {
  if (err) throw err;
  if (stats.hasErrors() || stats.hasWarnings()) {
    console.error(stats.toString('errors-warnings'));
    process.exit(1);
  }
});
