import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  staticDirs: [{ from: '../stories/assets', to: '/assets' }],
  core: { disableTelemetry: true },
};

export default config;
