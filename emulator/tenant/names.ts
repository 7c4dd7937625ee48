// Names for the fake tenant, in many scripts, with the hostile ones a real directory can hold.
export interface NamePool {
  given: string[];
  family: string[];
  familyFirst?: boolean;
  separator?: string;
  ascii?: string;
}

export const NAME_POOLS: NamePool[] = [
  {
    given: [
      'Adele',
      'Alex',
      'Megan',
      'Nestor',
      'Lee',
      'Grady',
      'Isaiah',
      'Johanna',
      'Lidia',
      'Lynne',
      'Miriam',
      'Patti',
      'Pradeep',
      'Diego',
      'Joni',
      'Henrietta',
      'Irvin',
      'Christie',
    ],
    family: [
      'Vance',
      'Wilber',
      'Bowen',
      'Wilke',
      'Gu',
      'Archie',
      'Langer',
      'Lauer',
      'Holloway',
      'Robbins',
      'Graham',
      'Fernandez',
      'Gupta',
      'Siciliani',
      'Sherman',
      'Mueller',
      'Sink',
      'Cline',
    ],
  },
  {
    given: [
      'Élodie',
      'François',
      'Chloé',
      'Zoë',
      'Søren',
      'Åsa',
      'Björn',
      'Łukasz',
      'Zoltán',
      'Ýr',
      'Małgorzata',
      'İlker',
      'Şebnem',
    ],
    family: [
      'Durand',
      'Lefèvre',
      'Øvrebø',
      'Ångström',
      'Wiśniewski',
      'Kovács',
      'Ólafsdóttir',
      'Müller',
      'Yılmaz',
      'Nuñez',
    ],
  },
  {
    given: ['Владимир', 'Анна', 'Ольга', 'Дмитрий'],
    family: ['Петров', 'Иванова', 'Смирнова', 'Соколов'],
    ascii: 'ru',
  },
  { given: ['Γιώργος', 'Ελένη', 'Νίκος'], family: ['Παπαδόπουλος', 'Γεωργίου', 'Οικονόμου'], ascii: 'el' },
  {
    given: ['太郎', '花子', '健', '由美'],
    family: ['山田', '佐藤', '鈴木', '高橋'],
    familyFirst: true,
    separator: '',
    ascii: 'ja',
  },
  { given: ['伟', '芳', '娜', '强'], family: ['王', '李', '张', '刘'], familyFirst: true, separator: '', ascii: 'zh' },
  {
    given: ['민준', '서연', '지호', '하은'],
    family: ['김', '이', '박', '최'],
    familyFirst: true,
    separator: '',
    ascii: 'ko',
  },
  { given: ['محمد', 'فاطمة', 'علي', 'ليلى', 'يوسف'], family: ['العلي', 'حسن', 'الحسيني', 'منصور'], ascii: 'ar' },
  { given: ['דוד', 'נועה', 'יוסף', 'מיכל'], family: ['לוי', 'כהן', 'מזרחי', 'פרץ'], ascii: 'he' },
  { given: ['प्रिया', 'राहुल', 'अनीता'], family: ['शर्मा', 'वर्मा', 'पटेल'], ascii: 'hi' },
  { given: ['สมชาย', 'สุดา'], family: ['ใจดี', 'สุขสันต์'], ascii: 'th' },
];

/** Display names that have broken other people's code: markup, scripts, bidi tricks, huge lengths, emoji. */
export const HOSTILE_NAMES: string[] = [
  '<img src=x onerror=alert(1)>',
  '<script>alert("pwned")</script>',
  '"><svg onload=alert(1)>',
  "Robert'); DROP TABLE Students;--",
  '\u202eecnaV eledA',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  'Wolfeschlegelsteinhausenbergerdorff Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Senior the Third of Contoso Research and Development, Emeritus',
  '🎉🎉🎉',
  'Zoë 🦄 Party-Planner',
  '   ',
  'a\u0000b\u0007c',
];
