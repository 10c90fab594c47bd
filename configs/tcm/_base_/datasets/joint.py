# Table 9's joint training set: the IC13, IC15, TD, CTW, TT and MLT17 training images (13,784
# in the paper; MMOCR's preparers give 229 + 1,000 + 1,000 + 1,255 + 9,000 MLT17 train+val, and
# TD500 300, or 700 with HUST-TR400, so the paper's count implies 10,000 MLT images), tested on
# NightTime-ArT (326 images). Each set lies where its own base file says.
_base_ = [
    'icdar2013.py', 'icdar2015.py', 'td500.py', 'ctw1500.py', 'totaltext.py', 'icdar2017.py',
    'nighttime_art.py'
]

joint_textdet_train = dict(
    type='ConcatDataset',
    datasets=[
        _base_.icdar2013_textdet_train, _base_.icdar2015_textdet_train, _base_.td500_textdet_train,
        _base_.ctw1500_textdet_train, _base_.totaltext_textdet_train, _base_.icdar2017_textdet_train
    ])
