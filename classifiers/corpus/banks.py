"""Phrase banks that top each corpus file up to its floor. Every phrase here is written by us.

A bank is a dict with `kind`, `style`, optional `hard` (safe hard negatives) and `slots`: a list of
phrase lists. `compose.py` picks one phrase per slot and joins them with spaces.
"""

from __future__ import annotations

BANKS: dict[tuple[str, str], list[dict]] = {}

BANKS[("gambling", "vi")] = [
    {
        "kind": "page",
        "style": "diacritics",
        "slots": [
            [
                "Nhà cái",
                "Cổng game",
                "Sân chơi",
                "Trang cược",
                "Hệ thống cá cược",
                "Casino",
                "Sòng bài online",
            ],
            [
                "KUBET99",
                "VN88X",
                "Fun777",
                "Win68",
                "Hũ Vàng Club",
                "Rồng Bạc",
                "Sao Đỏ Bet",
                "May88",
                "B52Vip",
            ],
            [
                "tặng 100K cho tân thủ",
                "khuyến mãi nạp đầu 150%",
                "hoàn trả cược thua 1,2% mỗi ngày",
                "rút tiền 3 phút",
                "nổ hũ liên tục",
                "tỷ lệ lô đề 1 ăn 99",
                "kèo bóng đá thơm nhất",
                "tài xỉu livestream 24/7",
                "bắn cá đổi thưởng siêu to",
                "xóc đĩa dealer xinh",
            ],
            [
                "– đăng ký ngay!",
                "– nạp qua thẻ cào, Momo.",
                "– link không bị chặn.",
                "– chỉ dành cho người chơi thật.",
                "– tải app nhận thêm quà.",
                "– uy tín, không bùng tiền.",
                "",
            ],
        ],
    },
    {
        "kind": "page",
        "style": "diacritics",
        "slots": [
            ["Soi kèo", "Nhận định kèo", "Tỷ lệ cược", "Kèo thơm", "Tip cược"],
            [
                "Man Utd vs Liverpool",
                "Việt Nam vs Thái Lan",
                "PSG vs Bayern",
                "Inter vs Milan",
                "Chelsea vs Tottenham",
                "Hà Nội FC vs Công An Hà Nội",
                "Juventus vs Napoli",
                "Barcelona vs Sevilla",
            ],
            [
                "ngày 12/3:",
                "đêm nay:",
                "vòng 28:",
                "lúc 02h00:",
                "tối thứ Bảy:",
            ],
            [
                "chọn cửa trên chấp 0.5.",
                "vào tài 2.75 cả trận.",
                "xỉu hiệp 1 là hợp lý.",
                "cược phạt góc trên 9.5.",
                "kèo châu Âu đội khách 2.40.",
                "nên vào cửa dưới +1.",
                "tỷ số chính xác 2-1.",
            ],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["ae ơi", "m ơi", "b ơi", "ê", "mn ơi", "bro"],
            [
                "tài xỉu",
                "nổ hủ",
                "bắn cá",
                "đánh đề",
                "xóc đĩa",
                "kèo bóng",
                "game bài đổi thưởng",
                "t.à.i x.ỉ.u",
            ],
            [
                "hnay ăn đậm vl",
                "thua sạch r",
                "chỗ nào rút tiền nhanh ko",
                "có ai chơi ko",
                "nạp thẻ cào dc ko",
                "cho xin link vs",
                "đang x3 vốn nè",
                "gỡ lại dc 2 củ",
            ],
            ["", "😭", "🤑", "ib t", "đm", "=))"],
        ],
    },
    {
        "kind": "chat",
        "style": "plain",
        "slots": [
            ["may", "ong", "ban", "tao", "anh em"],
            [
                "vao keo",
                "danh lo",
                "choi tai xiu",
                "quay hu",
                "ban ca doi thuong",
                "cuoc da ga",
            ],
            [
                "toi nay khong",
                "hom qua thang 1 trieu",
                "thua het tien hoc roi",
                "o nha cai nao uy tin",
                "bang tien nap the",
                "de go lai von",
            ],
        ],
    },
]

BANKS[("gambling", "en")] = [
    {
        "kind": "page",
        "style": "plain",
        "slots": [
            [
                "LuckyReel",
                "BetStorm",
                "GoldenAce Casino",
                "SpinVault",
                "Royal Wager",
                "JackpotCity88",
                "OddsKing",
            ],
            [
                "gives new players",
                "is offering",
                "now has",
                "adds",
                "launches",
            ],
            [
                "a 100% deposit match",
                "200 free spins",
                "instant crypto withdrawals",
                "boosted odds on every Premier League game",
                "20% weekly cashback",
                "a $25 no-deposit bonus",
                "live blackjack tables",
                "a new crash game",
            ],
            [
                "- sign up today.",
                "for players who register this week.",
                "with low wagering.",
                "on mobile and desktop.",
                "- bet now.",
                "",
            ],
        ],
    },
    {
        "kind": "page",
        "style": "plain",
        "slots": [
            ["Betting tips:", "Our pick:", "Odds preview:", "Best bet:", "Tipster corner:"],
            [
                "Arsenal vs Chelsea",
                "Dortmund vs Leipzig",
                "Liverpool vs Everton",
                "Real Sociedad vs Villarreal",
                "Ajax vs PSV",
                "Benfica vs Porto",
                "Celtic vs Rangers",
            ],
            [
                "take the home side at -3.5",
                "back the over on total goals",
                "the underdog moneyline is value at +180",
                "both teams to score pays 1.75",
                "a correct score punt on 2-1",
                "first goalscorer at 6.0",
            ],
            ["with a 2 unit stake.", "before the line moves.", "in your accumulator.", "as a single bet."],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["yo", "bro", "fam", "ngl", "lol", "bruh"],
            [
                "just lost 50 on slots",
                "hit a 20x on crash",
                "need a new betting promo code",
                "parlay hit",
                "blackjack wiped me out",
                "the casino app paid out",
            ],
            ["gonna deposit again", "who wants the link", "tn", "im going all in", "1 more spin", "ez money"],
        ],
    },
]

BANKS[("adult", "vi")] = [
    {
        "kind": "page",
        "style": "diacritics",
        "slots": [
            ["Xem", "Tải", "Tuyển tập", "Kho", "Bộ sưu tập", "Tổng hợp"],
            [
                "phim sex",
                "clip nóng",
                "phim JAV",
                "phim người lớn",
                "ảnh khỏa thân",
                "video khiêu dâm",
                "phim heo",
                "truyện sex",
            ],
            [
                "Việt Nam",
                "Nhật Bản không che",
                "Hàn Quốc vietsub",
                "Âu Mỹ",
                "tự quay",
                "quay lén",
                "của hot girl",
                "mới rò rỉ",
            ],
            [
                "miễn phí, không cần đăng ký",
                "chất lượng Full HD",
                "cập nhật mỗi ngày",
                "link không bị chặn",
                "xem trên điện thoại",
                "dành cho người trên 18 tuổi",
                "không quảng cáo",
            ],
        ],
    },
    {
        "kind": "page",
        "style": "diacritics",
        "slots": [
            ["Gái gọi", "Gái bao", "Cave", "Em út", "Chân dài", "Tiếp viên ôm"],
            ["Quận 7", "Cầu Giấy", "Đà Nẵng", "Hải Phòng", "Bình Thạnh", "Vũng Tàu", "Cần Thơ", "Nha Trang"],
            ["ảnh thật,", "giá theo giờ,", "qua đêm,", "có đánh giá,", "mới lên sàn,"],
            ["liên hệ Zalo", "đặt lịch qua Telegram", "gọi là có", "phục vụ tận phòng", "xem ảnh trước"],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["ae", "m", "b", "ê", "mn", "ông"],
            ["có link", "cho xin", "ai gửi", "t có", "share"],
            ["phim s.e.x", "clip nóng", "jav ko che", "ảnh nude", "s3x vn", "web 18+", "p0rn"],
            ["ko", "vs", "ib t", "nhanh kẻo bị xóa", "ngon vl", "ko bị chặn", ""],
        ],
    },
    {
        "kind": "page",
        "style": "plain",
        "slots": [
            ["Xem", "Tai", "Tuyen tap", "Kho"],
            ["phim sex", "clip nong", "phim jav", "anh nude", "phim nguoi lon", "truyen sex"],
            ["viet nam", "nhat ban", "han quoc", "tu quay", "quay len", "hot girl"],
            ["mien phi", "full hd", "khong che", "moi nhat", "khong quang cao"],
        ],
    },
]

BANKS[("adult", "en")] = [
    {
        "kind": "page",
        "style": "plain",
        "slots": [
            ["Watch", "Stream", "Download", "Browse", "Unlock"],
            [
                "free porn videos",
                "explicit sex scenes",
                "amateur nudes",
                "live sex cams",
                "uncensored hentai",
                "leaked sex tapes",
                "XXX clips",
                "erotic photo sets",
            ],
            [
                "in full HD",
                "with no sign up",
                "updated every hour",
                "from real couples",
                "on any device",
                "without limits",
            ],
            ["- adults only.", "- 18+ content.", "- join free.", "- tonight only.", ""],
        ],
    },
    {
        "kind": "page",
        "style": "plain",
        "slots": [
            ["Escorts", "Hookups", "Adult massage", "Strippers", "Sugar dating", "Sex chat"],
            ["in Manchester", "near you", "in Las Vegas", "in Sydney", "in Toronto", "tonight"],
            ["- verified photos,", "- discreet,", "- outcall available,", "- no strings,"],
            ["book now.", "message on Telegram.", "see rates.", "meet tonight."],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["yo", "bro", "lol", "ngl", "bruh", "omg"],
            ["send the", "who has the", "i got the", "dm me for the", "anyone got a"],
            ["p0rn link", "n00dz", "leaked vid", "spicy pics", "onlyfans leaks", "cam site"],
            ["rn", "pls", "asap", "its wild", ""],
        ],
    },
]

BANKS[("violence", "vi")] = [
    {
        "kind": "page",
        "style": "diacritics",
        "slots": [
            ["Clip", "Video", "Hình ảnh", "Toàn cảnh", "Cận cảnh", "Đoạn phim"],
            [
                "chém nhau",
                "đánh hội đồng",
                "đâm người",
                "tai nạn thảm khốc",
                "xử tử",
                "thanh toán giang hồ",
                "bạo hành",
                "hỗn chiến bằng mã tấu",
            ],
            [
                "ở cổng trường",
                "tại quán nhậu",
                "giữa chợ",
                "trên quốc lộ",
                "lúc nửa đêm",
                "ở bến xe",
                "trong ngõ nhỏ",
            ],
            [
                "– máu me không che.",
                "– bản gốc chưa làm mờ.",
                "– xem trước khi bị xóa.",
                "– người yếu tim không nên xem.",
                "– full không cắt.",
                "– máu chảy lênh láng.",
            ],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["ae", "m", "t", "đm", "ê", "bọn t"],
            [
                "mai chặn đánh nó",
                "tối nay đi xử nó",
                "mang dao theo",
                "cầm tuýp ra cổng",
                "quay clip lúc đánh nó",
                "gửi clip chém nhau",
            ],
            ["ở cổng trg", "sau giờ học", "ngay và luôn", "cho t coi", "nha", "ko tha"],
        ],
    },
    {
        "kind": "chat",
        "style": "plain",
        "slots": [
            ["may", "tao", "anh em", "bon tao"],
            [
                "se danh no",
                "cho no mot nhat",
                "mang dao",
                "chan dau no",
                "dap nat mat no",
                "dot xe no",
            ],
            ["sau gio hoc", "toi nay", "o cong truong", "o ngo nha no", "ngay mai"],
        ],
    },
]

BANKS[("violence", "en")] = [
    {
        "kind": "page",
        "style": "plain",
        "slots": [
            ["Uncensored", "Graphic", "Leaked", "Real", "Brutal", "Unblurred"],
            [
                "stabbing video",
                "execution footage",
                "street fight",
                "car crash clip",
                "torture video",
                "crime scene photos",
                "school beating",
                "shooting footage",
            ],
            [
                "from last night",
                "caught on CCTV",
                "filmed by a bystander",
                "posted by the attackers",
                "from the gore archive",
            ],
            [
                "- blood everywhere.",
                "- nothing blurred.",
                "- watch before it is removed.",
                "- extreme content.",
                "- full length.",
            ],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["yo", "bro", "fr", "ngl", "lmao"],
            [
                "we jumpin him",
                "im bringing a knife",
                "send the g0re vid",
                "film it when we hit him",
                "gonna smash his face",
                "beat him till he bleeds",
            ],
            ["after skl", "tmrw", "at the park", "behind the gym", "tn", ""],
        ],
    },
]

BANKS[("drugs", "vi")] = [
    {
        "kind": "page",
        "style": "diacritics",
        "slots": [
            ["Bán", "Chuyên cung cấp", "Hàng mới về:", "Nhận ship", "Có sẵn", "Cần bán gấp"],
            [
                "cỏ Mỹ loại 1",
                "kẹo bay lắc",
                "ke",
                "đá tinh khiết",
                "nấm thần",
                "tem giấy",
                "bóng cười",
                "nước vui",
                "vape pha THC",
            ],
            [
                "giao hỏa tốc nội thành,",
                "ship kín toàn quốc,",
                "giá sỉ cho quán bar,",
                "giá sinh viên,",
                "cho tiệc cuối tuần,",
                "nhận hàng mới trả tiền,",
            ],
            [
                "liên hệ Telegram.",
                "ib Zalo để có giá.",
                "không gặp mặt.",
                "cam kết hàng chuẩn.",
                "khách quen giảm 10%.",
            ],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["ae", "m", "b", "ê", "mn", "bro"],
            [
                "có mối c.ỏ",
                "tối nay bay",
                "ai bán k.ẹ.o",
                "góp tiền mua ke",
                "hút thử đá",
                "lấy bóng cười",
                "mua n.ấ.m",
            ],
            ["ko", "đi", "ở đâu", "vs t", "cuối tuần", "ib t"],
        ],
    },
    {
        "kind": "chat",
        "style": "plain",
        "slots": [
            ["may", "ong", "tao", "anh em", "bon minh"],
            ["co moi co", "di bay", "mua keo", "hut thu da", "lay bong cuoi", "gop tien mua ke"],
            ["khong", "toi nay", "cuoi tuan", "o nha tao", "cho sinh nhat"],
        ],
    },
]

BANKS[("drugs", "en")] = [
    {
        "kind": "page",
        "style": "plain",
        "slots": [
            ["Buy", "Order", "Shop", "Get", "In stock:"],
            [
                "weed",
                "MDMA pills",
                "LSD tabs",
                "magic mushrooms",
                "ketamine",
                "THC carts",
                "Xanax bars",
                "cocaine",
                "codeine syrup",
            ],
            [
                "with stealth shipping",
                "no prescription needed",
                "for your next party",
                "at student prices",
                "delivered in 30 minutes",
                "paid in crypto",
            ],
            [
                "- text for the menu.",
                "- discreet packaging.",
                "- bulk discounts.",
                "- message on Telegram.",
                "",
            ],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["yo", "bro", "fr", "ngl", "lol"],
            [
                "got za",
                "need a plug for carts",
                "we smokin",
                "hmu 4 percs",
                "who got m0lly",
                "lets get zooted",
                "shrooms at the lake",
            ],
            ["tn", "after skl", "this wknd", "behind the gym", "dm me", ""],
        ],
    },
]

BANKS[("self_harm", "vi")] = [
    {
        "kind": "chat",
        "style": "diacritics",
        "slots": [
            ["Tao", "Mình", "Em", "Tớ", "Con"],
            [
                "bị điểm kém lại bị mắng,",
                "bị cả lớp cô lập,",
                "vừa bị bỏ rơi,",
                "thấy mình vô dụng,",
                "mất ngủ cả tuần nay,",
                "bị bố đánh nữa,",
                "bị chê béo suốt,",
                "mất hết bạn bè,",
            ],
            [
                "thật sự không muốn sống nữa",
                "chỉ muốn chết cho xong",
                "lại muốn rạch tay",
                "nghĩ đến chuyện tự tử suốt",
                "muốn biến mất khỏi đời này",
                "muốn làm đau bản thân",
                "định tối nay kết thúc tất cả",
            ],
            ["", ".", "...", ", đừng ai cản.", ", không ai hiểu đâu."],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["t", "e", "mình", "tớ"],
            ["mệt vl", "chán đời r", "ko chịu nổi", "buồn vcl", "ko ai thương"],
            [
                "mún c.h.ế.t",
                "ko mún sống nữa",
                "lại r.ạ.c.h t.a.y",
                "mún biến mất",
                "t.ự t.ử cho xong",
                "ko mún tỉnh dậy",
            ],
            ["", "bye", "đừng tìm", ":(", "thật đấy"],
        ],
    },
    {
        "kind": "chat",
        "style": "plain",
        "slots": [
            ["tao", "minh", "em", "to"],
            ["met qua roi", "bi co lap", "bi bo roi", "thay minh vo dung", "bi me mang"],
            ["khong muon song nua", "chi muon chet", "lai rach tay", "muon bien mat", "muon tu tu"],
        ],
    },
]

BANKS[("self_harm", "en")] = [
    {
        "kind": "chat",
        "style": "plain",
        "slots": [
            ["honestly", "i think", "tonight", "since the exam", "after what happened", "every night"],
            [
                "i dont want to live anymore",
                "i want to kill myself",
                "i want to cut again",
                "i just want to disappear forever",
                "i keep planning how to end it",
                "i want to hurt myself",
                "i wish i was dead",
            ],
            [
                "and nobody would care",
                "and i cant tell anyone",
                "because i ruin everything",
                "since everyone hates me",
                "and im not scared anymore",
                "",
            ],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["ngl", "tbh", "lol", "fr", "idk"],
            [
                "wanna kms",
                "gonna unalive myself",
                "cut again",
                "want 2 d1e",
                "done w life",
                "sewerslide time",
            ],
            ["tn", "bye", "no one cares", ":(", "srsly", ""],
        ],
    },
]

BANKS[("hate_bullying", "vi")] = [
    {
        "kind": "chat",
        "style": "diacritics",
        "slots": [
            ["Mày", "Con kia", "Thằng kia", "Đồ", "Nhìn mày", "Con nhỏ đó"],
            [
                "ngu như bò",
                "béo như lợn",
                "xấu như ma",
                "đen như cột nhà cháy",
                "lùn tịt",
                "hôi như cống",
                "thiểu năng",
                "răng hô",
                "mặt đầy mụn",
            ],
            [
                "thì đừng đi học nữa",
                "nên cả lớp tẩy chay",
                "đừng có đăng ảnh",
                "cút khỏi nhóm đi",
                "sống làm gì cho chật đất",
                "ai mà thèm chơi cùng",
                "mai tao cho biết tay",
            ],
            ["", "!", "=))", ", nghe chưa.", ", cả trường biết rồi."],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["m", "con ml", "thằng ml", "đm m", "đồ", "ê"],
            ["ngu vl", "béo vcl", "xấu vl", "ẻo lả vl", "nghèo mạt", "hôi vl", "lùn vl"],
            [
                "ko ai chơi vs m đâu",
                "kick khỏi gr đi",
                "t tung ảnh m lên trg",
                "t có đ.ị.a c.h.ỉ nhà m r",
                "chết đi cho r",
                "mai ra cổng gặp t",
            ],
        ],
    },
    {
        "kind": "chat",
        "style": "plain",
        "slots": [
            ["may", "thang kia", "con kia", "do"],
            ["ngu nhu bo", "beo nhu lon", "xau nhu ma", "thieu nang", "hoi nhu cong", "lun tit"],
            [
                "dung di hoc nua",
                "ca lop tay chay may",
                "cut khoi nhom",
                "ai them choi cung",
                "mai biet tay tao",
            ],
        ],
    },
]

BANKS[("hate_bullying", "en")] = [
    {
        "kind": "chat",
        "style": "plain",
        "slots": [
            [
                "you are such a fat pig",
                "you are so stupid",
                "look at this ugly freak",
                "shes a worthless loser",
                "what a disgusting creep",
                "hes a smelly weirdo",
                "you pathetic crybaby",
            ],
            [
                "and nobody wants you here",
                "so nobody sit with them",
                "so delete your account",
                "and we will make sure everyone knows",
                "so dont come tomorrow",
                "and your family should be ashamed",
            ],
        ],
    },
    {
        "kind": "chat",
        "style": "teencode",
        "slots": [
            ["lol", "lmao", "ew", "stfu", "bruh"],
            ["ur so fat", "ur ugly af", "ur a loser", "nobody likes u", "ur so dumb", "u smell"],
            ["just leave", "blocked", "we all laugh at u", "see u at skl", "kys", "get out of the gc"],
        ],
    },
]

BANKS[("safe", "vi")] = [
    {
        "kind": "page",
        "style": "diacritics",
        "hard": True,
        "slots": [
            [
                "Công an Hà Nội",
                "Công an TP.HCM",
                "Công an tỉnh Quảng Ninh",
                "Công an Đà Nẵng",
                "Công an tỉnh Bình Dương",
                "Công an tỉnh Nghệ An",
                "Công an Cần Thơ",
            ],
            [
                "triệt phá đường dây đánh bạc qua mạng",
                "bắt giữ nhóm tổ chức cá độ bóng đá",
                "phá ổ nhóm mua bán ma túy",
                "khởi tố vụ án tổ chức đánh bạc bằng tài xỉu online",
                "triệt xóa điểm lô đề trá hình",
                "điều tra vụ cố ý gây thương tích trước cổng trường",
            ],
            [
                "với số tiền giao dịch hàng trăm tỷ đồng",
                "liên quan đến nhiều học sinh, sinh viên",
                "và cảnh báo phụ huynh quản lý con em",
                "sau nhiều tháng trinh sát",
                "khi đang giao dịch tại một căn hộ",
            ],
        ],
    },
    {
        "kind": "page",
        "style": "diacritics",
        "hard": True,
        "slots": [
            [
                "Nếu em đang thấy bế tắc,",
                "Khi bạn có ý nghĩ tự hại,",
                "Nếu con bị bắt nạt hoặc xâm hại,",
                "Khi thấy bạn bè nói muốn chết,",
                "Nếu bạn bị ai đó đe dọa tung ảnh,",
            ],
            [
                "hãy gọi Tổng đài quốc gia bảo vệ trẻ em 111",
                "hãy nói ngay với thầy cô hoặc bố mẹ",
                "hãy liên hệ đường dây nóng hỗ trợ tâm lý",
                "đừng giữ trong lòng, hãy tìm người lớn tin cậy",
                "hãy đến trạm y tế hoặc bệnh viện gần nhất",
            ],
            [
                "– miễn phí và bảo mật.",
                "– luôn có người lắng nghe.",
                "– em không có lỗi.",
                "– bạn không đơn độc.",
                "– hoạt động suốt ngày đêm.",
            ],
        ],
    },
    {
        "kind": "page",
        "style": "diacritics",
        "hard": True,
        "slots": [
            ["Cách", "Mẹo", "Hướng dẫn", "Bí quyết"],
            [
                "chặt gà luộc",
                "cắt thịt ba chỉ",
                "lọc xương cá hồi",
                "chặt sườn heo",
                "thái thịt bò",
                "mổ mực",
                "làm sạch lòng gà",
            ],
            [
                "để nấu canh chua",
                "cho bữa cơm gia đình",
                "để làm món nướng",
                "để kho tộ",
                "đãi khách ngày Tết",
                "cho bé ăn dặm",
            ],
            ["nhanh gọn", "không tanh", "đẹp mắt", "đúng chuẩn đầu bếp", ""],
        ],
    },
    {
        "kind": "page",
        "style": "diacritics",
        "slots": [
            ["Giải bài tập", "Ôn tập", "Đề kiểm tra 15 phút", "Bài giảng", "Tóm tắt lý thuyết"],
            ["Toán", "Ngữ văn", "Tiếng Anh", "Vật lý", "Địa lý", "Lịch sử", "Tin học", "Hóa học"],
            ["lớp 4", "lớp 6", "lớp 7", "lớp 8", "lớp 9", "lớp 10"],
            [
                "có đáp án chi tiết",
                "theo sách mới",
                "học kỳ 1",
                "dễ hiểu cho học sinh",
                "kèm video bài giảng",
            ],
        ],
    },
    {
        "kind": "chat",
        "style": "plain",
        "slots": [
            ["may oi", "ban oi", "ong oi", "ca nha oi", "nhom minh oi"],
            [
                "mai hoc them luc 5h",
                "toi nay lam bai tap nhom",
                "cuoi tuan di cong vien",
                "nho mang vo ve",
                "chieu nay tap van nghe",
                "mai kiem tra tieng anh",
            ],
            ["nhe", "khong quen nha", "ai di duoc khong", "de tao bao co", ""],
        ],
    },
]

BANKS[("safe", "en")] = [
    {
        "kind": "page",
        "style": "plain",
        "hard": True,
        "slots": [
            [
                "Police in Manila",
                "Officers in Leeds",
                "Federal agents",
                "Police in Sydney",
                "Local detectives",
            ],
            [
                "dismantle an illegal online betting network",
                "arrest suspects in a drug trafficking ring",
                "charge organizers of an underground casino",
                "seize counterfeit pills sold to teenagers",
                "investigate a stabbing near a high school",
            ],
            [
                "after a months-long investigation",
                "and warn parents to talk with their children",
                "following tips from the public",
                "in a series of early morning raids",
            ],
        ],
    },
    {
        "kind": "page",
        "style": "plain",
        "hard": True,
        "slots": [
            [
                "If you are having thoughts of suicide,",
                "If someone is hurting you,",
                "If a friend tells you they want to die,",
                "If someone threatens to share your photos,",
                "If you are being bullied online,",
            ],
            [
                "call or text a crisis line",
                "tell a parent, teacher or school counselor",
                "contact a child helpline",
                "reach out to someone you trust",
                "go to the nearest emergency room",
            ],
            [
                "- it is free and confidential.",
                "- you are not alone.",
                "- it is not your fault.",
                "- help is there 24/7.",
            ],
        ],
    },
    {
        "kind": "page",
        "style": "plain",
        "slots": [
            ["Worksheet:", "Lesson plan:", "Practice quiz:", "Study guide:", "Video lesson:"],
            [
                "fractions",
                "the water cycle",
                "photosynthesis",
                "Ancient Egypt",
                "spelling words",
                "multiplication",
            ],
            ["for grade 3", "for grade 5", "for grade 7", "for middle school", "for beginners"],
            ["with answers", "printable PDF", "with examples", "free to download"],
        ],
    },
]
