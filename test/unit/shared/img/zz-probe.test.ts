import { it } from 'vitest'
import { parseProcess, serializeProcess } from '../../../../src-shared/img/process'
import { decodeBase64Url, encodeBase64Url } from '../../../../src-shared/img/base64url'
const tryP = (s: string) => { try { return JSON.stringify(parseProcess(s)) } catch (e: any) { return `${e?.constructor?.name} ${e?.code} ${e?.ec} ${e?.message} ${JSON.stringify(e?.span)}` } }
it('probe', () => {
  for (const s of ['image/constructor', 'image/constructor,a_1', 'image/toString', 'image/__proto__,x', 'image/resize,w_1,constructor_5', 'image/resize,w_1,__proto___5', 'image/rotate,-0', 'image/format,constructor', 'style/' + 'a'.repeat(64), 'style/a b', 'style/', 'image/resize,w_1|sys/saveas,o_Pz8/', 'image/rotate,400', 'image/format,xyz', 'image/watermark,text_5L2g5aW9,image_YS5wbmc/watermark,image_Yi5wbmc/watermark,image_Yy5wbmc/watermark,image_ZC5wbmc',
  'image/watermark,image_' + encodeBase64Url('panda.png?x-oss-process=image/blur,r_1,s_1'),
  'image/watermark,image_' + encodeBase64Url('panda.png?x-oss-process=image/constructor'),
  'image/watermark,image_' + encodeBase64Url('panda.png?x-oss-process='),
  'image/watermark,image_' + encodeBase64Url('panda.png?x-oss-process=image/resize,P_30'),
  'image/resize,w_007', 'image/quality,abc', 'image/indexcrop,i_1', 'image/info/resize,w_1',
  ]) console.log(s.slice(0, 80), '=>', tryP(s))
  console.log(JSON.stringify(decodeBase64Url(encodeBase64Url('\uFEFFabc'))), JSON.stringify(decodeBase64Url('')), decodeBase64Url('YQ====='))
})
