"""Demo stories of “禁毒戒毒听我说”: recovery stories, rehabilitation
methods and public-service announcements. All narrators are pseudonyms;
the people are invented."""

from __future__ import annotations

from .shapes import DemoStory

STORIES: tuple[DemoStory, ...] = (
    DemoStory(
        key="story-acheng",
        title="在社区康复的第三年",
        kind="RECOVERY_STORY",
        locale="zh-CN",
        summary="从冰毒里走出来的阿城，讲他怎样一步步重新开始。附完整音频和文字稿。",
        body="""\
> 本文根据阿城（化名）的口述整理，完整录音见本页音频。

二十六岁那年，阿城在朋友的生日聚会上第一次碰了冰毒。“他们说是提神的，不上瘾。”几年后，他丢了工作，昼夜颠倒，总觉得有人要害他，连母亲敲门都不开。

## 重新开始并不轻松

解除强制隔离戒毒后，阿城最怕的是回到原来的环境。社区禁毒社工每周来找他，不催不训，只问他睡得怎样、有没有难处；帮他联系心理咨询，又帮他报了电工培训。

## 和渴求相处

咨询师教他：念头来了，先停下、深呼吸、离开那个地方，给信任的人打电话。“念头像海浪，会涨起来，也会退下去。”

## 现在

阿城在一家物业公司做电工。上个月母亲生日，他买了一个蛋糕，两个人都哭了。

“路不好走，但不是一个人走。”
""",
        narrator="阿城（化名）",
        audiences=("IN_RECOVERY", "ADULT", "COLLEGE"),
        tags=("康复故事", "冰毒", "社区康复"),
        cover_media_key="poster-recovery",
        media_keys=("audio-acheng",),
        status="PUBLISHED",
    ),
    DemoStory(
        key="story-mother",
        title="一位母亲的五年",
        kind="RECOVERY_STORY",
        locale="zh-CN",
        summary="儿子吸毒后，她从愤怒、羞耻到学会陪伴。一个家庭的讲述。",
        body="""\
“发现儿子吸毒那天，我第一反应是觉得丢人，不敢让亲戚知道。”说这话的是李阿姨（化名），今年五十八岁。

## 最难的那段日子

她试过锁门、断生活费、跪下求他，也把他赶出过家门。“越逼，他躲得越远。”

## 转变

社区戒毒期间，禁毒社工邀请她参加家属小组。她第一次听到“成瘾是一种会复发的脑疾病”，第一次知道别的母亲也在经历同样的事。“我才明白，骂他没用，要让他知道家还在。”

## 现在的家

儿子坚持社区康复已经两年多，在一家餐馆做帮厨。每周日，母子俩一起去菜市场。

## 她想对其他家长说

- 别一个人扛，去找社工，去参加家属小组；
- 划清底线，但不要切断联系；
- 照顾好自己，你好了，孩子才有依靠。
""",
        narrator="李阿姨（化名）",
        audiences=("ADULT", "IN_RECOVERY"),
        tags=("家庭故事", "家长指南", "社区戒毒"),
        cover_media_key="poster-help",
        media_keys=(),
        status="PUBLISHED",
    ),
    DemoStory(
        key="story-xiaoyu",
        title="K粉拿走了我的膀胱，没有拿走我的未来",
        kind="RECOVERY_STORY",
        locale="zh-CN",
        summary="大学时在夜场接触K粉的小雨，讲述身体的代价和回到校园的路。",
        body="""\
小雨（化名）第一次接触K粉，是大二那年在一家KTV。“大家都在玩，我不想显得不合群。”

## 身体先发出了警告

一年后，她每隔十几分钟就要上厕所，小便带血，疼得整夜睡不着。医生告诉她，这是长期使用氯胺酮造成的膀胱损害，有些损害很难完全恢复。

## 决定停下来

她告诉了辅导员，在家人陪伴下到医院治疗，并主动接受戒毒治疗。“我以为会被开除，结果学校帮我办了休学，还安排了心理老师。”

## 回到校园

休学一年后，小雨回到学校。她仍要定期复查，但已经能正常上课。现在，她是学校禁毒社团的志愿者。

“我想告诉学弟学妹：不合群没关系，身体只有一个。”
""",
        narrator="小雨（化名）",
        audiences=("COLLEGE", "HIGH_SCHOOL", "IN_RECOVERY"),
        tags=("康复故事", "K粉", "大学生"),
        cover_media_key=None,
        media_keys=(),
        status="PUBLISHED",
    ),
    DemoStory(
        key="story-method-community",
        title="社区康复是怎样进行的？一位禁毒社工的讲解",
        kind="METHOD",
        locale="zh-CN",
        summary="从报到、签协议到个人帮扶计划，社工讲清社区康复的每一步。",
        body="""\
我是一名禁毒社工，在街道的社区戒毒社区康复工作站工作了六年。

## 第一步：报到和协议

解除强制隔离戒毒后，被责令社区康复的人员要按时到工作站报到，签订社区康复协议。社区康复的期限不超过三年。

## 第二步：评估

我们会和当事人一起了解身体、心理、家庭、就业等方面的情况，不是审问，是为了找到真正需要的帮助。

## 第三步：一人一策

根据评估结果制定个人帮扶计划，比如：每月两次心理辅导、参加技能培训、修复家庭关系、办理社会救助。

## 第四步：定期检测与陪伴

定期尿检是协议的一部分，也是对自己的证明。更重要的是日常陪伴：谈心、家访、帮忙解决实际困难。

## 第五步：回归

期满评估后解除社区康复。很多人和我们一直保持联系，有的还成了志愿者。
""",
        narrator="禁毒社工 周敏（化名）",
        audiences=("IN_RECOVERY", "ADULT"),
        tags=("社区康复", "戒毒康复", "帮扶方法"),
        cover_media_key="poster-recovery",
        media_keys=(),
        status="PUBLISHED",
    ),
    DemoStory(
        key="story-method-methadone",
        title="美沙酮维持治疗：不是“以毒代毒”",
        kind="METHOD",
        locale="zh-CN",
        summary="维持治疗门诊的医生解释美沙酮治疗的原理、流程和注意事项。附音频。",
        body="""\
## 常见的误解

“喝美沙酮就是用一种毒品换另一种毒品。”这是门诊里最常听到的误解。

## 原理

美沙酮是一种长效的阿片类治疗药物。在医生管理下每天口服一次，能稳定地减轻戒断反应和渴求，让人不再需要反复注射海洛因。

## 流程

1. 到当地维持治疗门诊申请，接受医学评估；
2. 医生确定起始剂量，之后根据情况调整；
3. 每天到门诊当面服药，定期接受检测和心理辅导。

## 效果

减少注射和共用针具，降低艾滋病、丙肝传播；减少违法犯罪；帮助稳定工作和家庭。

## 提醒

美沙酮只针对阿片类依赖，对冰毒等兴奋剂无效。治疗期间不要饮酒或同时使用镇静类药物。
""",
        narrator="维持治疗门诊 陈医生（化名）",
        audiences=("IN_RECOVERY", "ADULT"),
        tags=("美沙酮维持治疗", "海洛因", "帮扶方法"),
        cover_media_key="poster-recovery",
        media_keys=("audio-methadone",),
        status="PUBLISHED",
    ),
    DemoStory(
        key="story-method-psych",
        title="心理矫治：学会和“想吸”的念头相处",
        kind="METHOD",
        locale="zh-CN",
        summary="心理咨询师介绍认知行为方法和正念练习在戒毒康复中的用法。",
        body="""\
## 为什么需要心理矫治

身体脱毒只是开始。压力、孤独、旧环境都会唤起对毒品的渴求，心理矫治帮助人学会应对。

## 认知行为方法

- **找出触发点**：什么人、什么地方、什么情绪会让你想起毒品？
- **改变想法**：把“就吸一次没关系”换成“一次就会把我拉回去”。
- **演练应对**：提前想好被老朋友约时怎么说、怎么走。

## 正念练习：冲浪式应对

渴求来了，不和它硬拼，也不顺从它。坐下来，注意呼吸，观察身体的感觉，像看海浪一样看着它升起、到顶、回落。

## 动机访谈

咨询师不说教，而是帮助当事人说出自己想改变的理由。改变的力量来自自己。

心理矫治可以一对一，也可以在小组中进行。通过本平台咨询台，可以选择心理矫治组的专家。
""",
        narrator="心理咨询师 赵老师",
        audiences=("IN_RECOVERY", "ADULT", "COLLEGE"),
        tags=("心理矫治", "预防复吸", "帮扶方法"),
        cover_media_key=None,
        media_keys=(),
        status="PUBLISHED",
    ),
    DemoStory(
        key="story-psa-ambassador",
        title="禁毒宣传大使说：别被“可爱”的包装骗了",
        kind="PUBLIC_SERVICE",
        locale="zh-CN",
        summary="中学老师、禁毒宣传志愿者林老师的公益广播，附音频和文字稿。",
        body="""\
有些毒品会伪装成**奶茶、跳跳糖、邮票、咖啡包**，甚至是外观普通的**电子烟**。它们颜色鲜艳、包装可爱，专门骗好奇心强的年轻人。

## 请记住三句话

1. 陌生人给的饮料和零食不要接；
2. 包装奇怪、来历不明的东西不要碰；
3. 聚会上有人劝你“试一试”，马上离开。

## 需要帮助时

告诉家长、老师，或者联系当地禁毒部门和社区戒毒社区康复工作站。紧急情况请拨打110。

珍爱生命，远离毒品。我们一起守护健康的青春。
""",
        narrator="禁毒宣传大使 林老师",
        audiences=("PRIMARY_SCHOOL", "MIDDLE_SCHOOL", "HIGH_SCHOOL"),
        tags=("公益广播", "新型毒品", "识别陷阱"),
        cover_media_key="poster-disguised-drugs",
        media_keys=("audio-psa-ambassador",),
        status="PUBLISHED",
    ),
    DemoStory(
        key="story-psa-runner",
        title="跑者的约定：我的兴奋，来自终点线",
        kind="PUBLIC_SERVICE",
        locale="zh-CN",
        summary="业余马拉松跑者、禁毒志愿者何帆邀请年轻人用运动代替冒险。",
        body="""\
我叫何帆，是一名业余马拉松跑者，也是社区禁毒志愿者。

常有人问我：跑那么远，不累吗？累。但冲过终点线的那一刻，那种快乐是真实的，是我自己挣来的。

## 真正的快乐不靠毒品

毒品给的“快乐”是借来的，还的时候连本带利：失眠、幻觉、失去家人和朋友。

## 我的约定

- 心情不好时，出门跑三公里；
- 朋友约我去“找刺激”，我约他去爬山；
- 每年6月26日国际禁毒日，和社区的孩子们一起跑一场禁毒公益跑。

欢迎你加入。你的兴奋，也可以来自终点线。
""",
        narrator="禁毒志愿者 何帆（化名）",
        audiences=("MIDDLE_SCHOOL", "HIGH_SCHOOL", "COLLEGE", "ADULT"),
        tags=("公益广播", "国际禁毒日", "健康生活"),
        cover_media_key="poster-626",
        media_keys=(),
        status="IN_REVIEW",
    ),
    DemoStory(
        key="story-psa-ambassador-en",
        title="Anti-Drug Ambassador: Don't Be Fooled by Cute Packaging",
        kind="PUBLIC_SERVICE",
        locale="en",
        summary="A public-service broadcast by Ms Lin, a middle-school teacher and anti-drug volunteer.",
        body="""\
Some drugs are disguised as **milk tea, popping candy, stamps or coffee sachets**, or even ordinary-looking **e-cigarettes**. Bright colours and cute packs are made to fool curious young people.

## Remember three things

1. Don't accept drinks or snacks from strangers.
2. Don't touch anything odd-looking of unknown origin.
3. If someone at a party says “just try it”, leave at once.

## When you need help

Tell a parent or teacher, or contact the local anti-drug office. In an emergency, call 110.
""",
        narrator="Anti-drug ambassador Ms Lin",
        audiences=("PRIMARY_SCHOOL", "MIDDLE_SCHOOL", "HIGH_SCHOOL"),
        tags=("公益广播", "新型毒品", "识别陷阱"),
        cover_media_key="poster-disguised-drugs",
        media_keys=("audio-psa-ambassador",),
        status="PUBLISHED",
    ),
)

STORIES_BY_KEY: dict[str, DemoStory] = {s.key: s for s in STORIES}
