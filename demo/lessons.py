"""Demo lessons of the cloud classroom (云课堂), on its four shelves."""

from __future__ import annotations

from .shapes import Audience, DemoLesson

ALL_AGES: tuple[Audience, ...] = ("PRIMARY_SCHOOL", "MIDDLE_SCHOOL", "HIGH_SCHOOL", "COLLEGE", "ADULT", "IN_RECOVERY")

LESSONS: tuple[DemoLesson, ...] = (
    # ------------------------------------------------------------ 视听禁毒
    DemoLesson(
        key="lesson-brain",
        title="毒品如何“劫持”大脑",
        section="AUDIOVISUAL",
        locale="zh-CN",
        summary="用一段短视频和一节音频课讲清楚：毒品为什么让人上瘾，青少年的大脑为什么更容易受伤。",
        body="""\
## 大脑的奖赏系统

吃到美食、完成难事、和朋友说笑时，大脑会释放**多巴胺**，让我们感到愉快。

## 毒品做了什么

- 冰毒会让大脑在短时间内释放远超正常水平的多巴胺，人变得异常兴奋、不想睡觉。
- 刺激过强，大脑会减少接收信号的受体，于是日常的快乐变得索然无味。
- 为了找回感觉，用量越来越大，这就是**耐受**和**依赖**。

## 为什么青少年更危险

负责判断和自控的前额叶要到二十多岁才发育成熟。越早接触毒品，伤害越深。

## 还有希望

大脑有可塑性。远离毒品、规律作息、运动和良好的人际关系，能帮助大脑逐步恢复。
""",
        audiences=("HIGH_SCHOOL", "COLLEGE"),
        tags=("毒品危害", "冰毒", "大脑与成瘾"),
        cover_media_key="poster-recovery",
        media_keys=("video-brain", "audio-brain"),
        estimated_minutes=12,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-626",
        title="6·26国际禁毒日的由来",
        section="AUDIOVISUAL",
        locale="zh-CN",
        summary="每年6月26日是国际禁毒日。听禁毒宣传大使讲讲这个日子的来历和意义。",
        body="""\
## 一个全世界共同的日子

1987年，联合国大会决定把每年的**6月26日**定为“禁止药物滥用和非法贩运国际日”，也就是我们常说的**国际禁毒日**。

## 我们为什么要纪念它

- 提醒每个人：毒品危害个人、家庭和社会。
- 各国在这一天开展宣传，交流禁毒经验。
- 我国每年6月也集中开展全民禁毒宣传活动。

## 你可以做什么

1. 学一课禁毒知识，参加一次禁毒答题。
2. 把学到的知识讲给家人听。
3. 遇到可疑物品或可疑情况，告诉老师、家长，或报告当地禁毒部门。
""",
        audiences=("PRIMARY_SCHOOL", "MIDDLE_SCHOOL", "HIGH_SCHOOL"),
        tags=("国际禁毒日", "禁毒宣传"),
        cover_media_key="poster-626",
        media_keys=("video-626", "audio-psa-ambassador"),
        estimated_minutes=8,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-methadone",
        title="听医生讲：美沙酮维持治疗",
        section="AUDIOVISUAL",
        locale="zh-CN",
        summary="美沙酮维持治疗是什么、适合谁、要注意什么？一位门诊医生的讲解。",
        body="""\
## 它是什么

社区药物维持治疗，是在医生管理下，每天在门诊**当面口服**美沙酮，用于治疗海洛因等**阿片类物质依赖**。

## 它能带来什么

- 减轻戒断反应和对毒品的渴求；
- 减少注射吸毒，降低感染艾滋病、丙肝的风险；
- 让人能稳定地工作、照顾家庭。

## 需要注意

- 美沙酮对冰毒等兴奋剂类毒品**没有**治疗作用。
- 剂量由医生评估调整，不能自行加减。
- 治疗期间不要饮酒，不要同时使用其他镇静类药物。

想了解能否参加，请咨询当地维持治疗门诊或当地禁毒部门。
""",
        audiences=("ADULT", "IN_RECOVERY"),
        tags=("戒毒康复", "美沙酮维持治疗", "海洛因"),
        cover_media_key="poster-recovery",
        media_keys=("video-methadone", "audio-methadone"),
        estimated_minutes=10,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-brain-en",
        title="How Drugs Hijack the Brain",
        section="AUDIOVISUAL",
        locale="en",
        summary="A short video and an audio lesson on why drugs are addictive and why a young brain is more easily harmed.",
        body="""\
## The reward system

Good food, a hard task done, laughing with friends: the brain releases **dopamine** and we feel good.

## What drugs do

- Methamphetamine floods the brain with far more dopamine than normal.
- The brain cuts back its receptors, so everyday joys feel flat.
- People then need more and more: **tolerance** and **dependence**.

## Why teenagers are at greater risk

The prefrontal cortex, which handles judgement and self-control, matures only in the mid-twenties.

## There is hope

The brain can heal. No drugs, regular sleep, exercise and good relationships help it recover.
""",
        audiences=("HIGH_SCHOOL", "COLLEGE"),
        tags=("毒品危害", "冰毒", "大脑与成瘾"),
        cover_media_key="poster-recovery",
        media_keys=("video-brain", "audio-brain"),
        estimated_minutes=12,
        translation_of_key="lesson-brain",
        status="PUBLISHED",
    ),
    # ------------------------------------------------------------ 禁毒课件
    DemoLesson(
        key="lesson-primary-safety",
        title="小学生禁毒第一课：认识毒品，保护自己",
        section="COURSEWARE",
        locale="zh-CN",
        summary="面向小学高年级的课件：什么是毒品，陌生人给的东西为什么不能要。",
        body="""\
## 什么是毒品

毒品是会让人上瘾、伤害身体和大脑的东西。鸦片、海洛因、冰毒、大麻、K粉、摇头丸都是毒品。

## 毒品会“化妆”

有些毒品看起来像**奶茶、糖果、跳跳糖、邮票**，颜色漂亮、包装可爱，很容易骗人。

## 保护自己的三个“不”

1. **不要**接受陌生人给的饮料、零食和香烟。
2. **不要**捡拾、品尝来历不明的东西。
3. **不要**因为好奇或别人激将就去“试一试”。

## 记住找谁帮忙

感到害怕或不确定时，马上告诉爸爸妈妈、老师。遇到危险可以拨打110。
""",
        audiences=("PRIMARY_SCHOOL",),
        tags=("认识毒品", "自我保护", "新型毒品"),
        cover_media_key="poster-disguised-drugs",
        media_keys=("comic-refuse",),
        estimated_minutes=20,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-class-meeting",
        title="初中禁毒主题班会：看清毒品，守护青春",
        section="COURSEWARE",
        locale="zh-CN",
        summary="一节完整的班会课件，附教师讲稿要点，适合初一至初三使用。",
        body="""\
## 教学目标

- 说出至少五种常见毒品和它们的危害；
- 识别伪装成零食、饮料、电子烟的新型毒品；
- 掌握并演练拒毒的方法。

## 课堂流程（40分钟）

1. **导入（5分钟）**：展示“奶茶包”“跳跳糖”图片，请同学猜一猜哪些是毒品。
2. **讲解（15分钟）**：毒品的定义；冰毒、海洛因、大麻、K粉、摇头丸的危害。
3. **情景演练（15分钟）**：分组表演“聚会上有人劝你试一试”，练习拒绝。
4. **总结（5分钟）**：6月26日是国际禁毒日，布置“给家人讲一课”的任务。

## 教师提示

不渲染吸毒过程，不展示吸毒方法；重点放在危害、识别和求助上。
""",
        audiences=("MIDDLE_SCHOOL",),
        tags=("主题班会", "认识毒品", "拒毒技巧"),
        cover_media_key="poster-626",
        media_keys=("pdf-middle-school-deck",),
        estimated_minutes=40,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-law-red-lines",
        title="法律红线：禁毒法与刑法",
        section="COURSEWARE",
        locale="zh-CN",
        summary="高中法治课件：吸毒、贩毒、容留他人吸毒分别要承担什么法律责任。",
        body="""\
## 法律怎样定义毒品

《中华人民共和国禁毒法》自2008年6月1日起施行。毒品指鸦片、海洛因、甲基苯丙胺（冰毒）、吗啡、大麻、可卡因，以及国家规定管制的其他能够使人形成瘾癖的麻醉药品和精神药品。

## 三条红线

- **贩毒**：《刑法》第三百四十七条规定，走私、贩卖、运输、制造毒品，无论数量多少，都应当追究刑事责任。
- **容留他人吸毒**：《刑法》第三百五十四条规定，容留他人吸食、注射毒品的，构成犯罪。
- **引诱、教唆、欺骗、强迫他人吸毒**：构成犯罪；对象是未成年人的，从重处罚。

## 吸毒的后果

吸毒是违法行为，依法给予治安管理处罚；吸毒成瘾的，还要接受社区戒毒或强制隔离戒毒。
""",
        audiences=("HIGH_SCHOOL", "COLLEGE"),
        tags=("禁毒法", "刑法", "法律责任"),
        cover_media_key="poster-law",
        media_keys=("pdf-high-school-law",),
        estimated_minutes=35,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-college-nightlife",
        title="大学生专题：聚会、夜场与“助眠”“提神”的诱惑",
        section="COURSEWARE",
        locale="zh-CN",
        summary="面向大学新生的讲座课件草稿：社交场合的涉毒风险和应对。",
        body="""\
## 为什么是大学

离家独立、社交圈扩大、学业和就业压力大，是涉毒风险上升的时期。

## 常见风险场景

- 聚会、酒吧、KTV里有人递来“提神饮料”“咖啡包”；
- 网上推销的“解压电子烟”“助眠神器”；
- 出国交流时接触到当地“合法”的大麻制品。

## 应对要点

1. 饮料不离开视线，离开后回来的饮料不再喝。
2. 任何来路不明的“解压”“提神”产品一律拒绝。
3. 和朋友约定互相照看，一起来一起走。
4. 发现同学状态异常，及时告诉辅导员，必要时拨打120。
""",
        audiences=("COLLEGE",),
        tags=("大学生", "拒毒技巧", "新型毒品"),
        cover_media_key=None,
        media_keys=(),
        estimated_minutes=30,
        translation_of_key=None,
        status="DRAFT",
    ),
    # ------------------------------------------------------------ 图说禁毒
    DemoLesson(
        key="lesson-common-drugs",
        title="图说常见毒品及其危害",
        section="ILLUSTRATED",
        locale="zh-CN",
        summary="冰毒、海洛因、大麻、K粉、摇头丸：一张图看懂它们分别伤害身体的哪里。",
        body="""\
## 冰毒（甲基苯丙胺）

- 中枢神经兴奋剂，使人失眠、亢奋；
- 长期使用可出现幻觉、被害妄想等精神病性症状；
- 损害心脏，牙齿大面积损坏。

## 海洛因

- 阿片类毒品，身体依赖极强，停用会出现剧烈戒断反应；
- 过量会抑制呼吸导致死亡；
- 共用注射器易感染艾滋病、丙肝。

## 大麻

损害记忆力和注意力，影响青少年大脑发育，可诱发焦虑和精神障碍。在我国，大麻是毒品。

## K粉（氯胺酮）

可导致意识混乱；长期使用严重损害膀胱，出现尿频、尿痛甚至膀胱挛缩。

## 摇头丸（MDMA）

使体温升高、严重脱水，可致器官衰竭；损伤大脑，常伴随抑郁和焦虑。
""",
        audiences=ALL_AGES,
        tags=("认识毒品", "毒品危害", "冰毒", "海洛因", "大麻", "K粉", "摇头丸"),
        cover_media_key="poster-disguised-drugs",
        media_keys=(),
        estimated_minutes=15,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-disguised-drugs",
        title="图说：会“化妆”的新型毒品",
        section="ILLUSTRATED",
        locale="zh-CN",
        summary="奶茶包、跳跳糖、邮票、咖啡包、电子烟——认一认新型毒品的伪装。",
        body="""\
## 伪装成什么

- **“奶茶”“咖啡包”**：外观像速溶饮品，里面可能掺有冰毒、摇头丸等成分。
- **“跳跳糖”“彩虹糖”**：做成糖果模样，专门针对青少年。
- **“邮票”**：小纸片上印着卡通图案，实为LSD等致幻剂。
- **“电子烟”“小树枝”**：烟油或烟草里可能掺有依托咪酯、合成大麻素。

## 怎么识别

包装没有正规厂家信息、价格异常、有人神秘兮兮地推荐、说“不上瘾”“很解压”——这些都是危险信号。

## 记住

看起来越可爱、越新奇，越要多一分警惕。
""",
        audiences=("PRIMARY_SCHOOL", "MIDDLE_SCHOOL", "HIGH_SCHOOL", "COLLEGE"),
        tags=("新型毒品", "识别陷阱", "电子烟"),
        cover_media_key="poster-disguised-drugs",
        media_keys=("audio-psa-ambassador",),
        estimated_minutes=10,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-refuse",
        title="漫画：拒绝毒品四步走",
        section="ILLUSTRATED",
        locale="zh-CN",
        summary="有人劝你“试一试”时怎么办？四格漫画教你四个步骤。",
        body="""\
## 第一步：明确拒绝

看着对方，清楚地说：“不用了，我不碰这个。”不用解释太多。

## 第二步：离开现场

找个理由离开：“我得回家了。”和信任的朋友一起走。

## 第三步：转移话题

如果不方便马上离开，就说“我们去打球吧”，把注意力引开。

## 第四步：告诉大人

把事情告诉家长或老师。这不是“告密”，是保护自己和朋友。

> 真正的朋友，不会逼你做伤害自己的事。
""",
        audiences=("PRIMARY_SCHOOL", "MIDDLE_SCHOOL", "HIGH_SCHOOL"),
        tags=("拒毒技巧", "自我保护"),
        cover_media_key="comic-refuse",
        media_keys=("comic-refuse",),
        estimated_minutes=6,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-vape-trap",
        title="图说“上头电子烟”：依托咪酯的陷阱",
        section="ILLUSTRATED",
        locale="zh-CN",
        summary="号称“解压”“上头”的电子烟，可能掺有依托咪酯。看清它的真面目。",
        body="""\
## 依托咪酯是什么

依托咪酯本是一种静脉麻醉药，只能在医院由医生使用。自2023年10月1日起，它被列入第二类精神药品管理。

## 为什么会出现在电子烟里

不法分子把它加入烟油，包装成“上头电子烟”“太空油”，在网上和娱乐场所兜售。

## 危害

- 吸入后头晕、站立不稳、意识模糊，像“丢了魂”；
- 反复使用会成瘾，出现肌肉不自主抽动、精神异常；
- 贩卖、吸食含依托咪酯的“电子烟”，都将依法受到追究。

## 怎么做

不买、不吸、不转卖来路不明的电子烟；发现线索，报告当地禁毒部门。
""",
        audiences=("MIDDLE_SCHOOL", "HIGH_SCHOOL", "COLLEGE"),
        tags=("电子烟", "依托咪酯", "新型毒品", "识别陷阱"),
        cover_media_key="comic-vape-trap",
        media_keys=("comic-vape-trap",),
        estimated_minutes=8,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-refuse-en",
        title="Comic: Four Steps to Say No",
        section="ILLUSTRATED",
        locale="en",
        summary="What to do when someone tells you to “just try it”: a four-panel comic.",
        body="""\
## Step 1: Say no clearly

Look at them and say: “No thanks, I don't do that.”

## Step 2: Leave

Give a reason: “I have to go home.” Leave with a friend you trust.

## Step 3: Change the subject

If you can't leave at once: “Let's go play ball.”

## Step 4: Tell an adult

Tell a parent or a teacher. That is not snitching; it protects you and your friends.

> A real friend never pushes you to hurt yourself.
""",
        audiences=("PRIMARY_SCHOOL", "MIDDLE_SCHOOL", "HIGH_SCHOOL"),
        tags=("拒毒技巧", "自我保护"),
        cover_media_key="comic-refuse",
        media_keys=("comic-refuse",),
        estimated_minutes=6,
        translation_of_key="lesson-refuse",
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-disguised-drugs-en",
        title="Drugs in Disguise",
        section="ILLUSTRATED",
        locale="en",
        summary="Milk tea packs, popping candy, stamps, coffee sachets, e-cigarettes: learn the disguises of new drugs.",
        body="""\
## What they look like

- **“Milk tea” and “coffee” sachets** may hide meth or ecstasy.
- **“Popping candy”** is shaped to tempt young people.
- **“Stamps”**: paper with cartoons, really LSD.
- **E-cigarettes** may contain etomidate or synthetic cannabinoids.

## Danger signs

No real maker's label, odd prices, secretive sellers, “not addictive”, “relaxing”.

## Remember

The cuter and newer it looks, the more careful you should be.
""",
        audiences=("PRIMARY_SCHOOL", "MIDDLE_SCHOOL", "HIGH_SCHOOL", "COLLEGE"),
        tags=("新型毒品", "识别陷阱", "电子烟"),
        cover_media_key="poster-disguised-drugs",
        media_keys=("audio-psa-ambassador",),
        estimated_minutes=10,
        translation_of_key="lesson-disguised-drugs",
        status="PUBLISHED",
    ),
    # ------------------------------------------------------------ 禁毒宝典
    DemoLesson(
        key="lesson-anti-drug-law",
        title="禁毒宝典：《禁毒法》要点十问",
        section="HANDBOOK",
        locale="zh-CN",
        summary="用问答的方式梳理《中华人民共和国禁毒法》中与每个人相关的规定。",
        body="""\
## 这部法律什么时候施行？

2007年12月29日通过，**2008年6月1日**起施行。

## 禁毒工作的方针是什么？

预防为主，综合治理，禁种、禁制、禁贩、禁吸并举。

## 谁有禁毒责任？

禁毒是全社会的共同责任。学校、家庭、社区、单位都要做好禁毒宣传教育。

## 吸毒成瘾怎么办？

- **社区戒毒**：期限为三年，在户籍地或居住地的社区进行。
- **强制隔离戒毒**：期限为二年，符合法定情形时适用。
- **社区康复**：解除强制隔离戒毒后，可责令接受不超过三年的社区康复。

## 主动求助会被处罚吗？

吸毒人员主动到公安机关登记，或到有资质的医疗机构接受戒毒治疗的，不予处罚。

## 戒毒人员会被歧视吗？

法律规定，戒毒人员在入学、就业、享受社会保障等方面不受歧视。
""",
        audiences=("ADULT", "IN_RECOVERY", "COLLEGE"),
        tags=("禁毒法", "法律责任", "社区戒毒"),
        cover_media_key="poster-law",
        media_keys=(),
        estimated_minutes=15,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-community-rehab",
        title="社区戒毒与社区康复：你需要知道的事",
        section="HANDBOOK",
        locale="zh-CN",
        summary="写给社戒社康人员和家属：要做什么、能得到什么帮助、遇到困难找谁。",
        body="""\
## 两种措施

- **社区戒毒**：期限三年，由户籍地或现居住地的乡镇人民政府、街道办事处负责。
- **社区康复**：解除强制隔离戒毒后，期限不超过三年。

## 你需要做的

1. 签订协议，按要求定期报到、接受检测。
2. 遵守协议约定，离开所在地要按规定报告。
3. 参加社区安排的教育、心理辅导和康复活动。

## 你能得到的帮助

- 禁毒社工一对一跟进，帮你制定个人帮扶计划；
- 心理咨询、职业技能培训、就业推荐；
- 符合条件的，可申请社会救助。

## 遇到困难时

想吸的念头出现、家里出现矛盾、找工作受挫，都可以先找社工或通过咨询台联系专家。求助是坚强的表现。
""",
        audiences=("IN_RECOVERY", "ADULT"),
        tags=("社区戒毒", "社区康复", "戒毒康复"),
        cover_media_key="poster-recovery",
        media_keys=("poster-help",),
        estimated_minutes=12,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-parents",
        title="家长指南：怎样和孩子谈毒品",
        section="HANDBOOK",
        locale="zh-CN",
        summary="家长是孩子的第一任禁毒老师。什么时候谈、怎么谈、发现异常怎么办。",
        body="""\
## 早谈、常谈

不必等到出了问题才谈。看到相关新闻、孩子问起电子烟时，都是好时机。

## 怎么谈

- **多听少讲**：先问孩子知道什么、同学里流行什么。
- **讲事实不吓唬**：夸大其词会让孩子不信任。
- **教方法**：和孩子一起演练怎样拒绝。

## 需要留意的信号

- 突然换了一批朋友，回避谈论去向；
- 零花钱去向不明，家里财物丢失；
- 作息颠倒、情绪起伏大、成绩骤降；
- 出现陌生的电子烟、糖果、锡纸、吸管。

## 如果真的发现了

保持冷静，不打骂、不赶出家门。先和孩子谈，再联系学校、医生或当地禁毒部门寻求专业帮助。
""",
        audiences=("ADULT",),
        tags=("家长指南", "家庭教育", "识别陷阱"),
        cover_media_key="poster-help",
        media_keys=("pdf-parent-guide",),
        estimated_minutes=15,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-where-help",
        title="哪里可以找到帮助",
        section="HANDBOOK",
        locale="zh-CN",
        summary="担心自己或身边的人涉毒？这里列出可以求助的地方。",
        body="""\
## 学生

告诉班主任、心理老师或家长。学校会保护你的隐私。

## 社区居民和家属

- 所在街道、乡镇的**社区戒毒社区康复工作站**；
- **当地禁毒部门**（公安机关禁毒部门）；
- 有资质的戒毒医疗机构。

## 正在戒毒康复的人

- 你的禁毒社工；
- 本平台“延伸帮扶咨询台”的心理、法律、教育、康复专家。

## 紧急情况

- 有人意识不清、呼吸困难：立即拨打**120**；
- 发现贩毒等违法犯罪线索：拨打**110**或报告当地禁毒部门。

主动求助不丢人。主动登记或到医疗机构接受戒毒治疗的，依法不予处罚。
""",
        audiences=ALL_AGES,
        tags=("求助渠道", "社区戒毒"),
        cover_media_key="poster-help",
        media_keys=(),
        estimated_minutes=5,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-where-help-en",
        title="Where to Find Help",
        section="HANDBOOK",
        locale="en",
        summary="Worried about yourself or someone close? Here is where to turn.",
        body="""\
## Students

Tell your class teacher, the school counsellor or your parents.

## Residents and families

- The **community detox and rehabilitation station** of your town or sub-district;
- The **local anti-drug office** of the police;
- A licensed drug-treatment clinic.

## People in recovery

Your social worker, or the experts of this platform's consultation desk.

## Emergencies

- Someone unconscious or struggling to breathe: call **120**.
- Drug dealing: call **110** or tell the local anti-drug office.

People who register with the police or seek treatment themselves are not punished.
""",
        audiences=ALL_AGES,
        tags=("求助渠道", "社区戒毒"),
        cover_media_key="poster-help",
        media_keys=(),
        estimated_minutes=5,
        translation_of_key="lesson-where-help",
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-recovery-science",
        title="戒毒康复的科学认识",
        section="HANDBOOK",
        locale="zh-CN",
        summary="成瘾是一种慢性、易复发的脑疾病。科学认识它，才能更好地走出来。",
        body="""\
## 成瘾是什么

药物成瘾是一种**慢性、易复发的脑疾病**。它不只是“意志力差”，而是大脑的奖赏、记忆和自控功能都受到了损害。

## 戒毒分几步

1. **生理脱毒**：度过急性戒断期，一般需要数天到数周。
2. **身心康复**：修复睡眠、体能、情绪，学会应对渴求。
3. **回归社会**：重建家庭关系，找到工作，形成新的生活方式。

## 关于复吸

- 复吸常见，但不等于失败，它提醒我们需要调整方法。
- 高危情境：压力、孤独、老朋友、旧地方、手里有钱。
- 持续的心理支持和社会支持能明显降低复吸风险。

## 家人和社会能做的

少一些指责，多一些陪伴；接纳戒毒人员回到学校和岗位。
""",
        audiences=("COLLEGE", "ADULT", "IN_RECOVERY"),
        tags=("戒毒康复", "预防复吸", "心理支持"),
        cover_media_key="poster-recovery",
        media_keys=(),
        estimated_minutes=12,
        translation_of_key=None,
        status="PUBLISHED",
    ),
    DemoLesson(
        key="lesson-relapse-prevention",
        title="预防复吸：识别高危情境的练习手册",
        section="HANDBOOK",
        locale="zh-CN",
        summary="给社区康复人员的自助练习：写下你的高危情境和应对计划。",
        body="""\
## 练习一：我的高危情境

写下最容易让你想起毒品的三种情况，例如：和某些老朋友见面、晚上一个人在家、发工资那天。

## 练习二：我的应对清单

针对每种情况，写下至少两个办法：

- 避开：换一条回家的路，删除旧联系人；
- 转移：运动、洗冷水脸、听音频课；
- 求助：给社工或家人打电话。

## 练习三：渴求像海浪

渴求会上涨，也会在二三十分钟内慢慢退去。感到渴求时，给它打个分（0到10分），每隔五分钟再打一次，你会发现它在下降。

## 练习四：我的支持者

写下三个你可以随时联系的人。
""",
        audiences=("IN_RECOVERY",),
        tags=("预防复吸", "戒毒康复", "心理支持"),
        cover_media_key=None,
        media_keys=(),
        estimated_minutes=20,
        translation_of_key=None,
        status="DRAFT",
    ),
    DemoLesson(
        key="lesson-cannabis-myths",
        title="“大麻合法化”的五个误区",
        section="HANDBOOK",
        locale="zh-CN",
        summary="一些国家和地区放开了大麻，是不是说明大麻没危害？待审稿件。",
        body="""\
## 误区一：国外合法，所以无害

个别国家和地区放开大麻，是出于各自的政策考虑，并不代表大麻无害。

## 误区二：在国外吸就没关系

在我国，大麻是毒品。中国公民即使在境外吸食大麻，回国后也可能依法受到处罚。

## 误区三：大麻不上瘾

长期使用会形成依赖，青少年开始越早，风险越高。

## 误区四：“天然”的就安全

大麻会损害记忆和注意力，可诱发焦虑和精神病性症状。

## 误区五：含大麻的食品、化妆品可以带回国

含有大麻成分的食品、电子烟油等，携带入境属于违法，情节严重的构成犯罪。
""",
        audiences=("HIGH_SCHOOL", "COLLEGE", "ADULT"),
        tags=("大麻", "法律责任", "识别陷阱"),
        cover_media_key=None,
        media_keys=(),
        estimated_minutes=8,
        translation_of_key=None,
        status="IN_REVIEW",
    ),
)

LESSONS_BY_KEY: dict[str, DemoLesson] = {lesson.key: lesson for lesson in LESSONS}
