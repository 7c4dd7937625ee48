// A Web Test Runner command that screenshots the page as Chromium painted it and returns the colours of the
// requested points, so tests can check what a person actually sees (glyph and colour), not only the DOM.
import { PNG } from 'pngjs';

export function screenshotPlugin() {
  return {
    name: 'presence-screenshot',
    async executeCommand({ command, payload, session }) {
      if (command !== 'pixel-colors') return undefined;
      const page = session.browser.getPage(session.id);
      const buffer = await page.screenshot({ type: 'png', animations: 'disabled', caret: 'hide' });
      const png = PNG.sync.read(buffer);
      const scale = png.width / page.viewportSize().width;
      return payload.points.map(({ x, y }) => {
        const px = Math.min(png.width - 1, Math.max(0, Math.round(x * scale)));
        const py = Math.min(png.height - 1, Math.max(0, Math.round(y * scale)));
        const i = (py * png.width + px) * 4;
        return [png.data[i], png.data[i + 1], png.data[i + 2]];
      });
    },
  };
}
