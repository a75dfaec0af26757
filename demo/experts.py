"""Expert groups, the 18 experts of the consultation desk (延伸帮扶咨询台)
and the consultation desk's privacy notice. All experts are invented."""

from __future__ import annotations

from .shapes import DemoExpert, DemoExpertGroup

EXPERT_GROUPS: tuple[DemoExpertGroup, ...] = (
    DemoExpertGroup(
        area="PSYCHOLOGICAL",
        name_zh="心理矫治",
        name_en="Psychological Counselling",
        description_zh="心理咨询师和精神科医生帮助你应对渴求、失眠、焦虑和低落情绪，修复与家人的关系，预防复吸。",
        description_en="Counsellors and psychiatrists help you cope with cravings, poor sleep, anxiety and low mood, mend family relationships and prevent relapse.",
    ),
    DemoExpertGroup(
        area="LEGAL",
        name_zh="法律咨询",
        name_en="Legal Advice",
        description_zh="律师为你解答社区戒毒、社区康复中的权利和义务，以及就业、婚姻家庭、法律援助等问题。",
        description_en="Lawyers answer questions on your rights and duties in community detox and rehabilitation, and on work, family matters and legal aid.",
    ),
    DemoExpertGroup(
        area="EDUCATIONAL",
        name_zh="教育矫正",
        name_en="Educational Correction",
        description_zh="教师和社会工作者帮助你和家人学习禁毒知识、改变不良习惯、重返学校与社区生活。",
        description_en="Teachers and social workers help you and your family learn about drugs, change harmful habits and return to school and community life.",
    ),
    DemoExpertGroup(
        area="REHABILITATION",
        name_zh="康复训练",
        name_en="Rehabilitation Training",
        description_zh="医生、康复治疗师和职业指导师帮助你恢复体能和睡眠，参加药物维持治疗，学习技能、找到工作。",
        description_en="Doctors, rehabilitation therapists and career advisers help you regain fitness and sleep, join maintenance treatment, learn skills and find work.",
    ),
)

EXPERTS: tuple[DemoExpert, ...] = (
    # ---------------------------------------------------------- 心理矫治 (5)
    DemoExpert(
        key="expert-xu-jingyi",
        username="expert-xujingyi",
        display_name="许静怡",
        title="国家二级心理咨询师",
        bio="从事成瘾心理咨询十二年，长期在社区戒毒社区康复工作站驻点。擅长用认知行为方法帮助来访者识别触发点、应对渴求。相信每个人都有改变的力量，咨询中不评判、不说教，和你一起找到适合自己的办法。",
        area="PSYCHOLOGICAL",
        specialties=("成瘾心理", "认知行为治疗", "预防复吸", "情绪管理"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-han-lixin",
        username="expert-hanlixin",
        display_name="韩立新",
        title="精神科主治医师",
        bio="精神科主治医师，专注物质使用障碍及其伴随的失眠、焦虑、抑郁和精神病性症状。曾在戒毒医疗机构工作多年，熟悉冰毒相关精神问题的评估和转诊。本季度参加外地进修，暂停接受新的咨询。",
        area="PSYCHOLOGICAL",
        specialties=("物质使用障碍", "冰毒相关精神症状", "睡眠问题"),
        accepting_consultations=False,
    ),
    DemoExpert(
        key="expert-song-xiaolan",
        username="expert-songxiaolan",
        display_name="宋晓岚",
        title="国家二级心理咨询师、家庭治疗师",
        bio="从事家庭治疗十年，帮助戒毒人员和家属修复关系、重建信任。带领家属支持小组，陪伴许多父母和配偶走过最难的时期。擅长亲子沟通和夫妻沟通，也为家属本人的心理压力提供支持。",
        area="PSYCHOLOGICAL",
        specialties=("家庭治疗", "家属支持", "亲子沟通"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-deng-chu",
        username="expert-dengchu",
        display_name="邓楚",
        title="国家三级心理咨询师、学校心理教师",
        bio="中学专职心理教师，长期关注青少年的好奇心、同伴压力与冒险行为。参与编写本地中小学禁毒心理健康课，擅长与青少年及其家长沟通，帮助孩子学会拒绝、学会求助，也陪伴家长放下焦虑。",
        area="PSYCHOLOGICAL",
        specialties=("青少年心理", "同伴压力", "亲子沟通"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-ouyang-hui",
        username="expert-ouyanghui",
        display_name="欧阳慧",
        title="注册心理师",
        bio="注册心理师，受过正念和创伤知情取向的系统培训。许多人用药是为了逃避痛苦的经历和情绪，她帮助来访者以安全、温和的方式面对这些经历，学会不依靠毒品照顾自己。咨询节奏由你决定。",
        area="PSYCHOLOGICAL",
        specialties=("正念练习", "创伤与情绪", "女性戒毒人员支持"),
        accepting_consultations=True,
    ),
    # ---------------------------------------------------------- 法律咨询 (4)
    DemoExpert(
        key="expert-cheng-lifeng",
        username="expert-chenglifeng",
        display_name="程立峰",
        title="执业律师",
        bio="执业十五年，主要从事刑事辩护和禁毒法律咨询。熟悉《禁毒法》《戒毒条例》及社区戒毒、强制隔离戒毒、社区康复的程序。常年为社区工作站提供公益法律讲座，用通俗的话讲清法律问题。",
        area="LEGAL",
        specialties=("禁毒法律咨询", "刑事辩护", "戒毒程序"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-liang-sumei",
        username="expert-liangsumei",
        display_name="梁素梅",
        title="执业律师",
        bio="专注婚姻家庭和劳动争议案件。为戒毒康复人员及家属解答离婚、抚养、赡养、劳动合同和就业权益问题。她常说：法律保护的是每一个人，戒毒人员在就业等方面依法不受歧视，遇到不公可以依法维权。",
        area="LEGAL",
        specialties=("婚姻家庭", "劳动权益", "就业反歧视"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-fan-zhiyuan",
        username="expert-fanzhiyuan",
        display_name="范志远",
        title="法律援助律师",
        bio="在县法律援助中心工作八年，帮助经济困难的群众申请法律援助。可解答法律援助的申请条件、所需材料和办理流程，也为社区康复人员处理债务、房屋租赁等日常纠纷提供意见，帮你把问题一件件理清楚。",
        area="LEGAL",
        specialties=("法律援助", "债务纠纷", "租赁纠纷"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-peng-yaqin",
        username="expert-pengyaqin",
        display_name="彭雅琴",
        title="执业律师、社区法律顾问",
        bio="担任多个街道的社区法律顾问，熟悉社区戒毒社区康复协议的内容和执行。可以帮助你弄清协议中的权利和义务、外出报告、检测要求等具体问题，避免因不了解规定而违反协议。也可解答个人信息保护方面的疑问。",
        area="LEGAL",
        specialties=("社区戒毒协议", "社区康复", "个人信息保护"),
        accepting_consultations=True,
    ),
    # ---------------------------------------------------------- 教育矫正 (4)
    DemoExpert(
        key="expert-tang-wenbo",
        username="expert-tangwenbo",
        display_name="唐文博",
        title="高级讲师",
        bio="职业学校高级讲师，从事禁毒教育二十年，主持编写过中小学和职业院校禁毒课件。擅长把专业知识讲得明白易懂，可为学校、家长和社区人员提供禁毒教育方面的指导，也乐于解答戒毒人员子女教育的问题。",
        area="EDUCATIONAL",
        specialties=("学校禁毒教育", "课件设计", "教师培训"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-ye-chunhua",
        username="expert-yechunhua",
        display_name="叶春华",
        title="中学高级教师",
        bio="做了二十多年班主任，擅长帮助有不良行为的青少年重建学习习惯和自信。可以为家长提供与孩子沟通的具体建议，也帮助休学后的学生制定复学计划、重新融入班集体，回到正常的学习生活。",
        area="EDUCATIONAL",
        specialties=("青少年行为矫正", "复学指导", "家庭教育"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-du-mingxuan",
        username="expert-dumingxuan",
        display_name="杜明轩",
        title="中级社会工作师",
        bio="禁毒社工，一线工作九年，陪伴过上百名社区康复人员。擅长制定个人帮扶计划，链接就业、救助、住房等社会资源。他相信：帮扶不是管控，而是一起把日子过好。有困难，先说出来，办法总比困难多。",
        area="EDUCATIONAL",
        specialties=("个人帮扶计划", "社会融入", "资源链接"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-zhong-xue",
        username="expert-zhongxue",
        display_name="钟雪",
        title="高级社会工作师、禁毒社工督导",
        bio="负责全市禁毒社工的专业督导，有十四年社会工作经验。擅长处理复杂个案和家庭危机，为戒毒康复人员及家属提供教育辅导，也帮助社工提升服务质量、做好隐私保护，让求助的人放心。",
        area="EDUCATIONAL",
        specialties=("复杂个案", "家庭危机干预", "社工督导"),
        accepting_consultations=True,
    ),
    # ---------------------------------------------------------- 康复训练 (5)
    DemoExpert(
        key="expert-lv-weiguo",
        username="expert-lvweiguo",
        display_name="吕卫国",
        title="康复医学科副主任医师",
        bio="康复医学科副主任医师，研究运动干预对戒毒人员体能、睡眠和情绪的改善作用。可根据你的身体情况给出安全、可坚持的运动建议，并解答戒断后常见的身体不适问题，例如乏力、食欲差、体重变化等。",
        area="REHABILITATION",
        specialties=("运动康复", "体能恢复", "睡眠改善"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-he-xiaodong",
        username="expert-hexiaodong",
        display_name="贺晓东",
        title="康复治疗师",
        bio="在戒毒康复中心从事康复训练八年，组织过许多期运动康复和团体训练。擅长为刚解除强制隔离戒毒的人员制定循序渐进的训练计划，帮助他们重新建立规律的作息和生活节奏，在汗水中找回对身体的掌控感。",
        area="REHABILITATION",
        specialties=("运动戒毒", "团体训练", "作息重建"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-mo-lan",
        username="expert-molan",
        display_name="莫兰",
        title="职业指导师",
        bio="人力资源和社会保障系统的职业指导师，熟悉本地技能培训补贴和就业岗位信息。帮助社区康复人员评估自身优势、选择培训项目、准备求职，已协助数十人找到稳定工作。她相信一份稳定的工作是康复最好的支点之一。",
        area="REHABILITATION",
        specialties=("职业技能培训", "就业指导", "创业扶持政策"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-bai-lin",
        username="expert-bailin",
        display_name="柏琳",
        title="主治医师（社区药物维持治疗门诊）",
        bio="在社区药物维持治疗门诊工作十年，负责美沙酮维持治疗的评估和随访。可以解答维持治疗的适用条件、流程、注意事项，以及与艾滋病、丙肝筛查和治疗相关的问题。咨询内容严格保密，请放心提问。",
        area="REHABILITATION",
        specialties=("美沙酮维持治疗", "阿片类依赖", "传染病防治"),
        accepting_consultations=True,
    ),
    DemoExpert(
        key="expert-feng-jianping",
        username="expert-fengjianping",
        display_name="冯建平",
        title="高级社会工作师、社区康复指导员",
        bio="长期负责社区康复指导工作，参与制定全市社区康复服务规范。擅长帮助康复人员识别高危情境、制定预防复吸计划，并协调医疗、就业、救助等方面的支持，让康复计划真正落到日常生活里。",
        area="REHABILITATION",
        specialties=("预防复吸计划", "社区康复指导", "多方协作"),
        accepting_consultations=True,
    ),
)

EXPERTS_BY_KEY: dict[str, DemoExpert] = {e.key: e for e in EXPERTS}

PRIVACY_NOTICE_VERSION = 1

PRIVACY_NOTICE: dict[str, str] = {
    "zh-CN": """\
# 咨询台隐私说明（第1版）

请在开始咨询前读一读。如果有看不懂的地方，可以请社工或家人帮你读。

## 我们会保存什么

- 你的账号名和你选择显示的名字。你可以用化名。
- 你和专家之间的消息，以及你上传的文件。
- 专家为你写的帮扶计划和上门约见的安排。

## 谁能看到

- 只有三类人能看到你的咨询：**你自己**、**你选择的那位专家**、**有名单登记的督导人员**。
- 督导人员只在检查服务质量或处理投诉时查看。
- 每一次查看都会被记录：谁看的、什么时候看的。
- 其他专家、老师、社区里的人都看不到。我们不会公开你的咨询内容。

## 保存多久

- 咨询结束后，记录保存三年，用于必要的跟进和服务检查。
- 三年后，记录会被删除。

## 你可以怎样改变主意

- 你可以随时撤回同意。在“我的”页面点“撤回同意”就可以。
- 撤回后，你不能再发起新的咨询或发送新消息。已经有的记录仍按上面的规定保存。
- 以后想再咨询，重新同意这份说明就可以。

## 有问题找谁

可以在咨询台留言，或者问你的社工。""",
    "en": """\
# Consultation desk privacy notice (version 1)

Please read this before you start. If anything is unclear, ask a social worker or a family member to read it with you.

## What we keep

- Your user name and the name you choose to show. You may use a made-up name.
- The messages between you and the expert, and files you upload.
- The help plan the expert writes for you, and any visits arranged.

## Who can see it

- Only three kinds of people can see your consultation: **you**, **the expert you chose**, and **supervisors whose names are on a list**.
- Supervisors look only to check the quality of the service or to handle a complaint.
- Every time someone looks, it is logged: who looked, and when.
- Other experts, teachers and people in your community cannot see it. We never publish what you write.

## How long we keep it

- After a consultation ends, we keep the record for three years, for follow-up and service checks.
- After three years, the record is deleted.

## How to change your mind

- You can withdraw your consent at any time. Tap “Withdraw consent” on your own page.
- After that you cannot start new consultations or send new messages. What already exists is kept as described above.
- If you want help again later, just accept this notice again.

## Questions

Leave a message at the consultation desk, or ask your social worker.""",
}
