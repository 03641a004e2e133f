/**
 * Files the well-known images ship that users meet: nginx's stock pages in
 * /usr/share/nginx/html, which `curl` of a fresh nginx pod shows and `ls`
 * and `cat` find. Their texts are the images' own, byte for byte (the page is
 * 615 bytes in today's images, 612 before nginx 1.21.2, when the nginx.org
 * packages added the light/dark colour scheme to it).
 */
import { docRoot, nginxBefore, parseImage } from '../../../kube/src/imageConvention';

const STYLE_NEW = 'html { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n';
const STYLE_OLD = '    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n';

const head = (title: string, style: string) => `<!DOCTYPE html>\n<html>\n<head>\n<title>${title}</title>\n<style>\n${style}</style>\n</head>\n<body>\n`;

const welcome = (style: string) =>
  head('Welcome to nginx!', style) +
  '<h1>Welcome to nginx!</h1>\n' +
  '<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n' +
  '<p>For online documentation and support please refer to\n<a href="http://nginx.org/">nginx.org</a>.<br/>\n' +
  'Commercial support is available at\n<a href="http://nginx.com/">nginx.com</a>.</p>\n\n' +
  '<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n';

const error50x = (style: string) =>
  head('Error', style) +
  '<h1>An error occurred.</h1>\n' +
  '<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n' +
  '<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n' +
  '<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n';

const NGINX_HTML = 'usr/share/nginx/html';


/** The stock files of an image, as paths relative to / and their texts (none for images without any modelled). */
export function imageFiles(image: string): Array<[string, string]> {
  const ref = parseImage(image);
  let style: string;
  // The images that serve nginx's html folder (imageConvention's docRoot) ship its stock pages there.
  if (!docRoot({ image })) return [];
  style = nginxBefore(image, [1, 21, 2]) ? STYLE_OLD : STYLE_NEW;
  return [[`${NGINX_HTML}/50x.html`, error50x(style)], [`${NGINX_HTML}/index.html`, welcome(style)]];
}
