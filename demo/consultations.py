"""Two consultations of the demo client. Written with care: these are
people in community rehabilitation asking for help."""

from __future__ import annotations

from .accounts import CLIENT_USERNAME
from .shapes import (
    DemoConsultation,
    DemoHelpMeasure,
    DemoHelpPlan,
    DemoMessage,
    DemoVisit,
)

CONSULTATIONS: tuple[DemoConsultation, ...] = (
    DemoConsultation(
        key="consult-sleep-cravings",
        client_username=CLIENT_USERNAME,
        expert_key="expert-xu-jingyi",
        subject="晚上睡不着，想吸的念头很强",
        messages=(
            DemoMessage(
                False,
                "许老师您好。我在社区康复快一年了，一直没碰。最近换了夜班又换回白班，晚上老是睡不着，"
                "一躺下就想起以前的事，想吸的念头很强。我不敢跟家里说，怕我妈担心。我该怎么办？",
            ),
            DemoMessage(
                True,
                "阿明你好，谢谢你愿意说出来，这本身就很不容易。坚持快一年没有碰，说明你是有办法的。\n\n"
                "作息被打乱后睡不好，渴求变强，是很多人都会遇到的情况，并不代表你在退步。"
                "想先问你几个问题：最近大概几点上床、几点能睡着？夜里醒几次？念头最强的时候，一般是在什么情况下？",
            ),
            DemoMessage(
                False, "一般十一点躺下，两点多才睡着，五点多就醒。念头最强是躺着刷手机、看到以前那帮人发的动态的时候。"
            ),
            DemoMessage(
                True,
                "你观察得很清楚，这很有帮助。看到旧朋友的动态，是一个很明确的触发点。我们先做三件小事：\n\n"
                "1. 把那些联系人屏蔽或删除，睡前一小时手机放到床够不着的地方；\n"
                "2. 下午做半小时快走或骑车，晚上九点后不喝浓茶和咖啡；\n"
                "3. 念头来的时候，试试“冲浪”练习：给它打个分，坐起来慢慢呼吸，五分钟后再打一次分。\n\n"
                "我把这些写进了你的帮扶计划。下周我正好去你们街道工作站，我们当面聊一次好吗？"
                "如果哪天晚上特别难熬，可以给社工小周发消息，也可以在这里留言。",
            ),
        ),
        status="ANSWERED",
        help_plan=DemoHelpPlan(
            goals="三个月内：每晚能睡够6小时；学会至少两种应对渴求的方法，需要时能用上；"
            "和母亲每周好好吃一顿饭、聊一聊。",
            measures=(
                DemoHelpMeasure("删除或屏蔽以前一起吸毒的联系人", -2, True),
                DemoHelpMeasure("睡前一小时把手机放到够不着的地方；写睡眠日记（上床、入睡、醒来时间）", 7, False),
                DemoHelpMeasure("每天下午快走或骑车30分钟；晚上九点后不喝浓茶和咖啡", 14, False),
                DemoHelpMeasure("练习“冲浪式”应对渴求，记录每次渴求分数的变化", 14, False),
                DemoHelpMeasure("请社工转介精神科门诊，评估失眠是否需要治疗", 10, False),
                DemoHelpMeasure("和母亲约定每周日一起吃晚饭", 7, False),
            ),
            follow_up_in_days=14,
        ),
        visit=DemoVisit(
            status="SCHEDULED",
            in_days=5,
            location="清河街道社区戒毒社区康复工作站（二楼谈心室）",
            note="面谈约50分钟，一起看看睡眠日记，调整帮扶计划。可以请社工小周陪同；需要改时间请提前在这里留言。",
        ),
    ),
    DemoConsultation(
        key="consult-job-disclosure",
        client_username=CLIENT_USERNAME,
        expert_key="expert-liang-sumei",
        subject="找工作时，要不要说自己在社区康复？",
        messages=(
            DemoMessage(
                False,
                "梁律师您好。我想去一家物流公司应聘仓库管理员。面试时要不要主动说我在社区康复？"
                "如果他们知道了不要我，算不算歧视？",
            ),
            DemoMessage(
                True,
                "阿明你好，想找份稳定的工作，是康复路上很重要的一步，先为你加油。\n\n"
                "几点供你参考：\n\n"
                "1. 法律规定，戒毒人员在入学、就业、享受社会保障等方面不受歧视。\n"
                "2. 对于一般岗位，法律没有要求你主动说明这段经历。但如果单位询问与工作直接相关的情况，"
                "不要提供虚假信息，以免以后产生劳动纠纷。\n"
                "3. 少数岗位有专门规定，比如驾驶类岗位对申领驾驶证有限制。仓库管理员一般不在此列，"
                "但如果岗位要求开叉车或送货，我们再具体看。\n"
                "4. 社区康复期间如果要到外地工作或出差，记得按协议向工作站报告。\n\n"
                "如果因为这段经历被不公平对待，可以保存好证据，再来找我，我们一起看怎么维权。",
            ),
            DemoMessage(False, "明白了，谢谢您。岗位里写着“会开叉车优先”，我没有叉车证，如果想考的话，会有影响吗？"),
        ),
        status="OPEN",
        help_plan=None,
        visit=None,
    ),
)

CONSULTATIONS_BY_KEY: dict[str, DemoConsultation] = {c.key: c for c in CONSULTATIONS}
