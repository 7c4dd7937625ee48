import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import manifest from '../custom-elements.json';
import { defineElements } from '../src/define.js';

setCustomElementsManifest(manifest);
defineElements();

const preview: Preview = {
  tags: ['autodocs'],
  globalTypes: {
    theme: {
      description: 'Light or dark page (CSS color-scheme)',
      toolbar: { title: 'Theme', icon: 'contrast', items: ['light', 'dark'], dynamicTitle: true },
    },
    direction: {
      description: 'Left to right (English) or right to left (Arabic)',
      toolbar: { title: 'Direction', icon: 'transfer', items: ['ltr', 'rtl'], dynamicTitle: true },
    },
  },
  initialGlobals: { theme: 'light', direction: 'ltr' },
  decorators: [
    (story, context) => {
      const dark = context.globals.theme === 'dark' || context.parameters.theme === 'dark';
      const rtl = context.globals.direction === 'rtl' || context.parameters.direction === 'rtl';
      return html`<div
        class="story-root"
        lang=${rtl ? 'ar' : 'en'}
        dir=${rtl ? 'rtl' : 'ltr'}
        style="color-scheme: ${dark ? 'dark' : 'light'}; background: ${dark ? '#1f1f1f' : '#ffffff'}; color: ${dark ? '#ffffff' : '#242424'}; padding: 16px; font-family: 'Segoe UI', system-ui, sans-serif;"
      >
        ${story()}
      </div>`;
    },
  ],
  parameters: {
    controls: { expanded: true },
    layout: 'fullscreen',
  },
};

export default preview;
