<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name>AttachDialog</name>
    <message>
        <location filename="../../workbench/ui/search_attach.py" line="+43"/>
        <source>Attach to a shared study</source>
        <translation>共有スタディに接続</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Storage</source>
        <translation>ストレージ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study</source>
        <translation>スタディ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What every worker was given as --storage and --study. The window only reads the study: it trains nothing and changes nothing there.</source>
        <translation>各ワーカーに --storage と --study で指定したものです。ウィンドウはスタディを読むだけで、学習もスタディの変更もしません。</translation>
    </message>
</context>
<context>
    <name>AxisValues</name>
    <message>
        <location filename="../../workbench/ui/axis_values.py" line="+33"/>
        <source>learning rates</source>
        <translation>学習率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The optimizer&apos;s learning rate: too small, about right, too large</source>
        <translation>最適化手法の学習率: 小さすぎる、ちょうどよい、大きすぎる</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>activations</source>
        <translation>活性化関数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The activation function of every layer with weights</source>
        <translation>重みを持つすべての層の活性化関数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>weight scales</source>
        <translation>重みのスケール</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initial weights drawn from a normal distribution of each standard deviation</source>
        <translation>それぞれの標準偏差の正規分布から引いた重みの初期値</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>weight decay</source>
        <translation>Weight decay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L2 regularisation (weight decay) of every weight</source>
        <translation>すべての重みの L2 正則化 (Weight decay)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>L1 penalties</source>
        <translation>L1 正則化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L1 regularisation of every weight</source>
        <translation>すべての重みの L1 正則化</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dropout with each rate after every layer with weights (0: none)</source>
        <translation>重みを持つすべての層の後にそれぞれの割合の Dropout (0: なし)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>schedules</source>
        <translation>学習率のスケジュール</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the learning rate changes over the run, with or without warm-up</source>
        <translation>学習中に学習率をどう変えるか (ウォームアップあり・なし)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many epochs the run trains</source>
        <translation>何エポック学習するか</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>training samples</source>
        <translation>訓練サンプル数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many training samples the run learns from (&apos;all&apos;: every one)</source>
        <translation>学習に使う訓練データのサンプル数 (&apos;all&apos;: すべて)</translation>
    </message>
</context>
<context>
    <name>AxisValuesDialog</name>
    <message>
        <location line="+26"/>
        <source>Compare {axis}</source>
        <translation>{axis} を比較</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The model in the form is trained once per value, from the same initial weights and the same order of samples, and the runs are overlaid in the Runs tab. The test set is not used.</source>
        <translation>フォームのモデルを値ごとに 1 回ずつ、同じ重みの初期値と同じサンプルの順序から学習し、「実行」タブで重ねて表示します。テストデータは使いません。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Values separated by commas, e.g. {example}</source>
        <translation>値をカンマで区切って指定します (例: {example})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> ({suffix} adds a warm-up)</source>
        <translation> ({suffix} を付けるとウォームアップします)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Values:</source>
        <translation>値(&amp;V):</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
</context>
<context>
    <name>BatchSizeComparison</name>
    <message>
        <location filename="../../workbench/ui/batch_size_compare.py" line="+292"/>
        <source>Compare mini-batch si&amp;zes…</source>
        <translation>ミニバッチサイズの比較(&amp;Z)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Train the model once per mini-batch size and compare time, memory, loss noise and accuracy</source>
        <translation>ミニバッチサイズごとにモデルを学習し、時間、メモリ、損失のノイズ、正解率を比較します。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Cannot compare: {error}</source>
        <translation>比較できません: {error}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Preparing the mini-batch size comparison…</source>
        <translation>ミニバッチサイズの比較を準備しています…</translation>
    </message>
</context>
<context>
    <name>BatchSizeDialog</name>
    <message>
        <location line="-297"/>
        <source>Compare mini-batch sizes</source>
        <translation>ミニバッチサイズの比較</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Trains the model in the form once per mini-batch size, {epochs} epochs each, from the same initial weights and the same order of samples. &apos;full&apos; is the whole training part ({n:,} samples) in every step: batch gradient descent. The test set is not used.</source>
        <translation>フォームのモデルを、ミニバッチサイズごとに {epochs} エポックずつ学習します。重みの初期値とサンプルの順番はすべて同じです。&apos;full&apos; は毎ステップで訓練データ全体 ({n:,} サンプル) を使います。つまりバッチ勾配降下法です。テストデータは使いません。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Sizes separated by commas: whole numbers of at least 1, or &apos;full&apos;</source>
        <translation>カンマ区切りのサイズ: 1 以上の整数、または &apos;full&apos;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mini-batch &amp;sizes:</source>
        <translation>ミニバッチサイズ(&amp;S):</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Steps per epoch: {steps}</source>
        <translation>1 エポックあたりのステップ数: {steps}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{total:,} steps in all: expect this to take minutes. Size {size} alone makes {steps:,} steps an epoch.</source>
        <translation>合計 {total:,} ステップです。数分かかる見込みです。サイズ {size} だけで 1 エポックあたり {steps:,} ステップになります。</translation>
    </message>
</context>
<context>
    <name>BatchSizeTable</name>
    <message>
        <location line="+28"/>
        <source>&lt;b&gt;Mini-batch sizes&lt;/b&gt;: cost and noise, measured</source>
        <translation>&lt;b&gt;ミニバッチサイズ&lt;/b&gt;: コストとノイズの実測値</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Every size starts from the same initial weights and takes the samples in the same order. Hover a row&apos;s name for how it is measured.</source>
        <translation>どのサイズも同じ重みの初期値から始め、同じ順番でサンプルを使います。各行の名前にマウスを合わせると、測り方が表示されます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hide</source>
        <translation>非表示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide this table until the next mini-batch size comparison</source>
        <translation>次にミニバッチサイズを比較するまで、この表を非表示にします。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Epochs trained (early stopping can end a run sooner)</source>
        <translation>学習したエポック数 (早期終了により実行が早く終わることがあります)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps/epoch</source>
        <translation>ステップ数/エポック</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Optimizer steps (mini-batches) in an epoch</source>
        <translation>1 エポックでのパラメータの更新回数 (ミニバッチの数)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time/epoch (s)</source>
        <translation>時間/エポック (秒)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean time of an epoch: the training and the validation pass</source>
        <translation>1 エポックの平均時間: 学習と検証データでの評価の合計</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Samples/s</source>
        <translation>サンプル/秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training samples per second, in the training passes alone</source>
        <translation>1 秒あたりに学習した訓練データのサンプル数 (学習の処理のみで計測)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Peak memory</source>
        <translation>ピークメモリ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How far memory rose above what was in use when the run began: the process&apos;s resident memory (RSS) on the CPU, allocated tensors on CUDA</source>
        <translation>実行開始時の使用量からメモリがどれだけ増えたか: CPU ではプロセスの常駐メモリ (RSS)、CUDA では確保されたテンソル</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loss std</source>
        <translation>損失の標準偏差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Standard deviation of the per-batch training loss in the last epoch</source>
        <translation>最後のエポックでの、ミニバッチごとの訓練データの損失の標準偏差</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Loss noise</source>
        <translation>損失のノイズ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss std as a share of the mean batch loss: the fair comparison, as a size that has trained further has smaller losses, which vary less</source>
        <translation>損失の標準偏差をミニバッチの損失の平均で割った値: 公平に比較するための指標です。学習が進んだサイズほど損失が小さく、ばらつきも小さくなるためです。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Val. accuracy</source>
        <translation>検証データの正解率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Validation accuracy after the last epoch</source>
        <translation>最後のエポック後の検証データの正解率</translation>
    </message>
</context>
<context>
    <name>BestCurves</name>
    <message>
        <location filename="../../workbench/ui/search_plots.py" line="+143"/>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
</context>
<context>
    <name>ClassNames</name>
    <message>
        <location filename="../../workbench/ui/class_names.py" line="+17"/>
        <source>opposite</source>
        <translation>異符号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>same sign</source>
        <translation>同符号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>upper</source>
        <translation>上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lower</source>
        <translation>下</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>outer</source>
        <translation>外側</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inner</source>
        <translation>内側</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>arm {number}</source>
        <translation>腕 {number}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>blob {number}</source>
        <translation>塊 {number}</translation>
    </message>
</context>
<context>
    <name>DataPreview</name>
    <message>
        <location filename="../../workbench/ui/data_preview.py" line="+108"/>
        <source>train</source>
        <translation>訓練データ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>validation</source>
        <translation>検証データ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>test</source>
        <translation>テストデータ</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No picture for data of this shape: see the counts.</source>
        <translation>この形のデータは図にできません。件数の表をご覧ください。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>{n} features</source>
        <translation>特徴量 {n} 個</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name}: {shape} per sample, {dtype}, {memory:.1f} MB in memory. Train {train:,} / validation {val:,} / test {test:,}{own}.</source>
        <translation>{name}: 1 サンプルあたり {shape}、{dtype}、メモリ上 {memory:.1f} MB。訓練 {train:,} / 検証 {val:,} / テスト {test:,}{own}。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source> (the source&apos;s own test set)</source>
        <translation> (元データ付属のテストデータ)</translation>
    </message>
</context>
<context>
    <name>DatasetLoading</name>
    <message>
        <location filename="../../workbench/ui/dataset_loading.py" line="+149"/>
        <source>Reading {name}…</source>
        <translation>{name} を読み込んでいます…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opening dataset</source>
        <translation>データセットを開いています</translation>
    </message>
</context>
<context>
    <name>DatasetPanel</name>
    <message>
        <location filename="../../workbench/ui/dataset_panel.py" line="+40"/>
        <source>Handwritten digits (8x8, 10 classes)</source>
        <translation>手書き数字 (8x8, 10 クラス)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spiral (2-D, 3 classes)</source>
        <translation>渦巻き (2 次元, 3 クラス)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moons (2-D, 2 classes)</source>
        <translation>三日月 (2 次元, 2 クラス)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Circles (2-D, 2 classes)</source>
        <translation>同心円 (2 次元, 2 クラス)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>XOR (2-D, 2 classes)</source>
        <translation>XOR (2 次元, 2 クラス)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gaussian blobs (2-D, 3 classes)</source>
        <translation>ガウス分布の塊 (2 次元, 3 クラス)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Dataset</source>
        <translation>データセット</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The data the model learns from.</source>
        <translation>モデルが学習に使うデータです。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open…</source>
        <translation>開く…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import a dataset: MNIST IDX folder, CSV, NPZ, or a folder of images.</source>
        <translation>データセットを読み込みます (MNIST IDX のフォルダ、CSV、NPZ、画像のフォルダ)。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Data file (CSV, NPZ)…</source>
        <translation>データファイル (CSV, NPZ)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder (MNIST IDX files, or one sub-folder per class)…</source>
        <translation>フォルダ (MNIST IDX ファイル、またはクラスごとのサブフォルダ)…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>How much the classes blur into each other (0 to 1).</source>
        <translation>クラスどうしがどれだけ重なり合うか (0〜1) です。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Points generated for the synthetic dataset.</source>
        <translation>人工データセットとして生成する点の数です。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The CSV column that holds the class.</source>
        <translation>クラス (ラベル) が入っている CSV の列です。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Every image is resized to this height and width.</source>
        <translation>すべての画像をこの高さと幅にリサイズします。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grayscale</source>
        <translation>グレースケール</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Standardise (mean 0, std 1)</source>
        <translation>標準化 (平均 0, 標準偏差 1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scale to [0, 1]</source>
        <translation>[0, 1] に正規化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None</source>
        <translation>なし</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rescale the features, with statistics of the training part only.</source>
        <translation>特徴量のスケールをそろえます。統計量は訓練データだけから求めます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Share of the training data held out to watch overfitting and choose hyperparameters. Never trained on.</source>
        <translation>過学習の監視とハイパーパラメータの選択のために、訓練データから取り分ける割合です。このデータで学習することはありません。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Share of the data locked away for the final evaluation, used once at the end (unless the source brings its own test set).</source>
        <translation>最終評価のために取っておくデータの割合です。最後に一度だけ使います (元データにテストデータが付属している場合は使いません)。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>all</source>
        <translation>すべて</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Train on only this many samples (a stratified subset), e.g. 300 to watch a big network overfit. Validation and test data stay the same.</source>
        <translation>この数のサンプル (層化抽出した一部) だけで学習します。たとえば 300 にすると、大きなネットワークが過学習する様子を観察できます。検証データとテストデータは変わりません。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Data</source>
        <translation>データ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Samples</source>
        <translation>サンプル数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label column</source>
        <translation>ラベルの列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image height</source>
        <translation>画像の高さ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image width</source>
        <translation>画像の幅</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Normalise</source>
        <translation>正規化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation share</source>
        <translation>検証データの割合</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test share</source>
        <translation>テストデータの割合</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training subset</source>
        <translation>学習に使うサンプル数</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Open dataset</source>
        <translation>データセットを開く</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Data files (*.csv *.npz)</source>
        <translation>データファイル (*.csv *.npz)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open dataset folder</source>
        <translation>データセットのフォルダを開く</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Opening cancelled: the dataset shown is kept.</source>
        <translation>読み込みを取り消しました。表示中のデータセットはそのままです。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Imported: {name}</source>
        <translation>読み込み済み: {name}</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Noise {value:.2f}</source>
        <translation>ノイズ {value:.2f}</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>{samples:,} samples of {shape}, {classes} classes
train {train:,} / validation {val:,} / test {test:,}</source>
        <translation>サンプル {samples:,} 個 (形状 {shape})、{classes} クラス
訓練 {train:,} / 検証 {val:,} / テスト {test:,}</translation>
    </message>
</context>
<context>
    <name>DecisionBoundaryView</name>
    <message>
        <location filename="../../workbench/ui/decision_boundary.py" line="+62"/>
        <source>feature 1</source>
        <translation>特徴量 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>feature 2</source>
        <translation>特徴量 2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Background: the class the model predicts at each point of the plane, paler where it is less sure (its largest softmax probability is lower). Points: the data, coloured by their true class; a point on another colour is one the model gets wrong. Drag to pan, scroll to zoom, A to fit.</source>
        <translation>背景: 平面上の各点でモデルが推論するクラスです。確信の低いところ (softmax 関数の出力の最大の確率が低いところ) ほど淡くなります。点: データを正解のクラスで色分けしたものです。違う色の上にある点は、モデルが誤って推論した点です。ドラッグで移動、スクロールで拡大縮小、A キーで全体を表示します。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The classes&apos; colours: points and regions alike.</source>
        <translation>クラスの色: 点と領域で共通です。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>● Training</source>
        <translation>● 訓練データ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>○ Validation</source>
        <translation>○ 検証データ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>× Test</source>
        <translation>× テストデータ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the training data, which the weights were fitted to (filled circles).</source>
        <translation>訓練データ (塗りつぶしの円) を表示します。重みはこのデータで学習されています。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the validation data, which the model never trains on and you choose settings by (hollow circles).</source>
        <translation>検証データ (白抜きの円) を表示します。モデルはこのデータでは学習せず、設定を選ぶために使います。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Test data (crosses) appear once this run has been evaluated on the test set (Evaluate on test set): until then, choices are made on validation data and the test set is not looked at, not even in a picture.</source>
        <translation>テストデータ (×印) は、この実行をテストデータで評価すると (「テストデータで評価」) 表示されます。それまでは検証データをもとに選択し、テストデータは図の上でさえ見ません。</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Train a model on data with two input features (spiral, moons, circles, XOR, blobs, or a CSV of two feature columns) to watch it learn to split the plane.</source>
        <translation>入力の特徴量が 2 つのデータ (spiral、moons、circles、XOR、blobs、または特徴量が 2 列の CSV) でモデルを学習すると、モデルが平面を分けられるようになっていく様子を見られます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Starting the run…</source>
        <translation>実行を開始しています…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Show the test data (crosses): this run has been evaluated on them.</source>
        <translation>テストデータ (×印) を表示します。この実行はテストデータで評価済みです。</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Before training (epoch 0): what the untrained model guesses.</source>
        <translation>学習前 (エポック 0): 未学習のモデルによる推測です。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The run has ended: the weights it kept (epoch {epoch}), the model that is tested and exported.</source>
        <translation>実行が終了しました: 保持された重み (エポック {epoch}) です。テストとエクスポートにはこのモデルが使われます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>During epoch {epoch} of {epochs}.</source>
        <translation>エポック {epoch}/{epochs} の途中です。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>After epoch {epoch} of {epochs}.</source>
        <translation>エポック {epoch}/{epochs} の終了後です。</translation>
    </message>
</context>
<context>
    <name>DigitCanvas</name>
    <message>
        <location filename="../../workbench/ui/digit_canvas.py" line="+64"/>
        <source>Draw a digit with the left mouse button. Right-click, Delete or Backspace clears the drawing.</source>
        <translation>マウスの左ボタンで数字を書いてください。右クリック、Delete キー、Backspace キーで消去します。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Digit drawing canvas</source>
        <translation>数字の手書きキャンバス</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A square to draw a single digit on, white ink on black.</source>
        <translation>数字を 1 つ書くための正方形の領域です (黒地に白で書きます)。</translation>
    </message>
    <message>
        <location line="+196"/>
        <source>Draw a digit here</source>
        <translation>ここに数字を書いてください</translation>
    </message>
</context>
<context>
    <name>DoctorList</name>
    <message>
        <location filename="../../workbench/ui/doctor_list.py" line="+56"/>
        <source>After each epoch the run doctor reads the curves and the looks inside the network, and names what it sees (overfitting, a learning rate too high, saturated or dead units, ...) with the technique to try.</source>
        <translation>エポックごとに、学習曲線とネットワーク内部の様子から、気づいたこと (過学習、大きすぎる学習率、飽和したニューロンや死んだニューロンなど) と、試すべき手法を示します。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Run doctor: nothing to report.</source>
        <translation>学習の診断: 指摘事項はありません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run doctor:</source>
        <translation>学習の診断:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Problem</source>
        <translation>問題</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>情報</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{evidence} {suggestion}</source>
        <translation>{evidence} {suggestion}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Apply</source>
        <translation>適用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Put this change into the form for the next run: {changes}</source>
        <translation>次の実行のために、この変更をフォームに反映します: {changes}</translation>
    </message>
</context>
<context>
    <name>ExamplesDialog</name>
    <message>
        <location filename="../../workbench/ui/examples_dialog.py" line="+76"/>
        <source>The first {shown} of {total} are shown.</source>
        <translation>{total} 件のうち最初の {shown} 件を表示しています。</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <location filename="../../workbench/ui/file_actions.py" line="+43"/>
        <source>Open experiment</source>
        <translation>実験を開く</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+21"/>
        <source>Experiment (*.toml)</source>
        <translation>実験ファイル (*.toml)</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Opened {path}</source>
        <translation>{path} を開きました</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save experiment</source>
        <translation>実験を保存</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot save: {error}</source>
        <translation>保存できません: {error}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot save {path}: {error}</source>
        <translation>{path} を保存できません: {error}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved {path}</source>
        <translation>{path} を保存しました</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{file} – Training Workbench</source>
        <translation>{file} – Training Workbench</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Opened dataset {name}: {samples:,} samples, {classes} classes</source>
        <translation>データセット {name} を開きました: サンプル {samples:,} 個、{classes} クラス</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the recorded run</source>
        <translation>記録された実行</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Loaded the experiment of run {name}</source>
        <translation>実行 {name} の実験設定を読み込みました</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Applied the best trial: {values}. Train now trains on the whole training part and evaluates the test set once.</source>
        <translation>最良の試行を適用しました: {values}。これで「学習」を押すと、訓練データ全体で学習し、テストデータで一度だけ評価します。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Model saved to {path}</source>
        <translation>モデルを {path} に保存しました</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Report saved to {path}</source>
        <translation>レポートを {path} に保存しました</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Cannot write {path}: {error}</source>
        <translation>{path} に書き込めません: {error}</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../workbench/ui/help_texts.py" line="+15"/>
        <source>A name for this run. It goes into the report and file names.</source>
        <translation>この実行の名前です。レポートとファイル名に使われます。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the weights move along the gradient. SGD takes the plain step; Momentum and Nesterov keep a running velocity; AdaGrad, RMSprop and Adam adapt the step for each weight; AdamW is Adam with weight decay kept apart from the gradient.</source>
        <translation>勾配を使って重みをどう更新するか (6.1 パラメータの更新) を選びます。SGD は勾配の方向にそのまま進みます。Momentum と Nesterov は「速度」を保ちながら進みます。AdaGrad、RMSprop、Adam は重みごとに更新の大きさを調整します。AdamW は、Weight decay を勾配と切り離して適用する Adam です。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Learning rate: the size of each step. Too large and the loss jumps about or diverges to NaN; too small and learning crawls. Adam usually wants about 0.001, SGD about 0.01 to 0.1.</source>
        <translation>学習率: 1 回の更新でどれだけ進むかを決めます (6.1 パラメータの更新の η)。大きすぎると損失が激しく上下したり発散して NaN になったりし、小さすぎると学習がなかなか進みません。目安は Adam で 0.001 程度、SGD で 0.01〜0.1 程度です。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Share of the previous step kept in the next one (0 to 0.99). It smooths the path and speeds it up along steady slopes; near 1 it overshoots.</source>
        <translation>前回の更新量を次の更新にどれだけ引き継ぐか (0〜0.99) で、6.1 の Momentum の α にあたります。更新の軌跡がなめらかになり、同じ向きの勾配が続くところでは加速します。1 に近いと行き過ぎます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Adam&apos;s memory of the gradient (beta 1) and of its square (beta 2). Defaults 0.9 and 0.999 suit almost everything; lower means a shorter memory and noisier steps.</source>
        <translation>Adam が勾配 (β1) とその 2 乗 (β2) をどれだけ長く覚えておくかです。既定値の 0.9 と 0.999 でほとんどの場合うまくいきます。小さくすると記憶が短くなり、更新のばらつきが大きくなります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>RMSprop&apos;s memory of the squared gradient (0.99 by default). Lower adapts faster and is noisier.</source>
        <translation>RMSprop が過去の勾配の 2 乗をどれだけ長く覚えておくかです (既定値 0.99)。小さくすると新しい勾配にすばやく追従しますが、更新のばらつきが大きくなります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A tiny number added before dividing by the gradient&apos;s size, so the step never divides by zero. Rarely worth changing.</source>
        <translation>勾配の大きさで割る前に加えるごく小さな値で、0 で割るのを防ぎます (本書の AdaGrad の実装の 1e-7 にあたります)。変更する必要はほとんどありません。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L2 penalty: pulls every weight towards zero a little each step, against overfitting. 0 is off; 0.0001 to 0.01 is usual; too much and the model underfits.</source>
        <translation>L2 正則化: 更新のたびにすべての重みを少しずつ 0 に近づけ、過学習を抑えます (6.4 正則化の Weight decay)。0 にするとオフになります。よく使われるのは 0.0001〜0.01 で、大きすぎると学習不足になります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L1 penalty: adds the sum of absolute weights (not biases or batch-norm scales) to the loss, pushing many weights to exactly zero. 0 is off; start near 0.0001.</source>
        <translation>L1 正則化: 重みの絶対値の和 (バイアスと Batch Norm のスケールは含めません) を損失に加え、多くの重みをちょうど 0 にします。0 にするとオフになります。まずは 0.0001 程度から試してください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Largest allowed length (norm) of the gradient; longer ones are scaled down. It stops a single bad batch from throwing the weights far. 0 is off.</source>
        <translation>勾配の長さ (ノルム) の上限です。これより長い勾配は縮めてから使います。1 つの悪いミニバッチで重みが大きく飛ばされるのを防ぎます。0 にするとオフになります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Data augmentation: each training image is moved by up to this share of its side, anew every epoch, so the model learns that a digit&apos;s place does not change its class. Validation and test images stay as they are. Images only; 0 is off.</source>
        <translation>データ拡張 (Data Augmentation): 訓練データの各画像を、辺の長さに対してこの割合まで、エポックごとに新たにずらします。数字の位置が変わってもクラスは変わらないことをモデルに学ばせます。検証データとテストデータの画像はそのままです。画像のみが対象で、0 にするとオフになります。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Data augmentation: each training image is turned by up to this many degrees either way. A little (5-15) helps with handwriting; a 6 turned 180 degrees is a 9. 0 is off.</source>
        <translation>データ拡張: 訓練データの各画像を、左右どちらかにこの角度まで回転させます。手書き数字には少し (5〜15 度) が効果的です。180 度回した 6 は 9 になってしまいます。0 にするとオフになります。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Data augmentation: each training image is scaled between 1 - zoom and 1 + zoom, for digits written smaller or larger. 0 is off.</source>
        <translation>データ拡張: 訓練データの各画像を (1 - 設定値) 倍から (1 + 設定値) 倍の間で拡大・縮小し、小さめや大きめに書かれた数字に備えます。0 にするとオフになります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Data augmentation: each training image is slanted by up to this many degrees, like handwriting leaning left or right. Augmented data are harder to fit: the model may need more epochs. 0 is off.</source>
        <translation>データ拡張: 左右に傾いた手書き文字のように、訓練データの各画像をこの角度まで斜めにゆがめます。拡張したデータは学習が難しくなるため、より多くのエポックが必要になることがあります。0 にするとオフになります。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>How the learning rate changes over the epochs: constant, step (cut by gamma every few epochs), exponential (times gamma every epoch), cosine (smoothly down to the minimum), one-cycle (up then down, per batch) or reduce on plateau (cut when validation loss stalls).</source>
        <translation>エポックが進むにつれて学習率をどう変えるか (学習率の減衰) です。一定、ステップ (数エポックごとに γ 倍)、指数 (毎エポック γ 倍)、コサインアニーリング (下限までなめらかに下げる)、ワンサイクル (ミニバッチごとに上げてから下げる)、停滞時に減衰 (検証データの損失が改善しなくなったら下げる) から選びます。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Epochs spent rising linearly from a tenth of the learning rate to the full rate, which steadies the first steps of large or adaptive models. 0 is off.</source>
        <translation>学習率の 1/10 から本来の値まで直線的に上げていくエポック数です。大きなモデルや Adam などの適応的な手法で、最初の更新を安定させます。0 にするとオフになります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Step schedule: epochs between two cuts.</source>
        <translation>ステップ: 学習率を下げる間隔 (エポック数) です。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Factor the rate is multiplied by at each cut (step, plateau) or every epoch (exponential). 0.5 halves it; close to 1 barely changes it.</source>
        <translation>学習率に掛ける係数です。下げるたび (ステップ、停滞時に減衰) または毎エポック (指数) に掛けます。0.5 で半分になり、1 に近いとほとんど変わりません。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reduce on plateau: epochs without a better validation loss before a cut.</source>
        <translation>停滞時に減衰: 検証データの損失が改善しないエポックが何回続いたら学習率を下げるかです。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The rate never goes below this (cosine, plateau).</source>
        <translation>学習率はこの値より下がりません (コサインアニーリング、停滞時に減衰)。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passes over the training data, at most. Too few underfits; too many overfits unless early stopping ends the run.</source>
        <translation>訓練データ全体を最大で何回学習するか (エポック数) です。少なすぎると学習不足に、多すぎると過学習になります (早期終了で打ち切る場合を除きます)。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Samples per weight update. Small batches give noisy, cheap steps; large batches give smooth steps, use more memory and make fewer updates per epoch.</source>
        <translation>1 回の重みの更新に使うサンプル数 (ミニバッチの大きさ) です。小さいと 1 回の更新は軽いものの、ばらつきが大きくなります。大きいと更新はなめらかになりますが、メモリを多く使い、1 エポックあたりの更新回数が減ります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Where training runs: the CPU, or a GPU when one is present (much faster).</source>
        <translation>学習を実行するデバイスです。CPU か、GPU があれば GPU (はるかに高速) を使います。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The computer that trains: this one, or a Ray cluster (a GPU node, say). A run on the cluster draws its curves here as it trains and is recorded here; the device above is then the cluster&apos;s.</source>
        <translation>学習するコンピュータです。このコンピュータか、Ray クラスタ (GPU ノードなど) を選びます。クラスタ上の実行も学習中の曲線はここに描かれ、ここに記録されます。そのとき上のデバイスはクラスタ側のものです。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Fixes the split, the initial weights and the batch order: the same seed gives the same run on the same device.</source>
        <translation>データの分割、重みの初期値、ミニバッチの順番を固定します。同じデバイスで同じシードを使えば、同じ実行結果になります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ask PyTorch for exactly repeatable results even where that is slower (it matters on GPUs).</source>
        <translation>遅くなる場合でも、完全に再現できる結果を出すよう PyTorch に指示します (GPU で違いが出ます)。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>End the run when the validation metric has stopped improving, before the model overfits.</source>
        <translation>検証データでの指標が改善しなくなったら、過学習する前に実行を終了します (早期終了)。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The validation metric early stopping watches.</source>
        <translation>早期終了が監視する、検証データでの指標です。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whether smaller (min) or larger (max) is better; auto picks min for a loss and max for an accuracy.</source>
        <translation>小さいほど良いか、大きいほど良いかを指定します。自動では、損失なら小さいほど良い、正解率なら大きいほど良いを選びます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Epochs without improvement before the run ends. Too small stops on noise; too large trains on into overfitting.</source>
        <translation>改善しないエポックが何回続いたら実行を終了するかです。小さすぎるとノイズによる一時的な停滞で止まり、大きすぎると過学習に入っても学習を続けてしまいます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The smallest change that counts as an improvement; 0 counts any change.</source>
        <translation>改善とみなす最小の変化量です。0 にすると、わずかでも良くなれば改善とみなします。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test (and keep) the weights of the best validation epoch, however the run ends: early stop, last epoch or Stop.</source>
        <translation>実行がどう終わっても (早期終了、最後のエポック、停止)、検証データで最も良かったエポックの重みでテストし、その重みを残します。</translation>
    </message>
</context>
<context>
    <name>HyperparameterForm</name>
    <message>
        <location filename="../../workbench/ui/hyperparameter_form.py" line="+199"/>
        <source>Click a field to see what it does.</source>
        <translation>項目をクリックすると、ここに説明が表示されます。</translation>
    </message>
    <message>
        <location line="+49"/>
        <location line="+19"/>
        <source>Optimizer</source>
        <translation>最適化手法</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Momentum (SGD + momentum)</source>
        <translation>Momentum (SGD + モーメンタム)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nesterov momentum</source>
        <translation>Nesterov (ネステロフのモーメンタム)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AdaGrad</source>
        <translation>AdaGrad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>AdamW (decoupled weight decay)</source>
        <translation>AdamW (Weight decay を分離)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Find…</source>
        <translation>探す…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find learning rate</source>
        <translation>学習率を探す</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Find learning rate: train a copy of the model for a few mini-batches while the rate grows, see where the loss falls and where it explodes, and get a suggested rate (a range test).</source>
        <translation>学習率を探す: 学習率を大きくしながらモデルのコピーを数ミニバッチだけ学習し、損失が下がる範囲と発散する範囲を調べて、推奨する学習率を示します (学習率レンジテスト)。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Momentum</source>
        <translation>Momentum</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Beta 1</source>
        <translation>β1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Beta 2</source>
        <translation>β2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alpha</source>
        <translation>α</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Epsilon</source>
        <translation>ε</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weight decay (L2)</source>
        <translation>Weight decay (L2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>L1 penalty</source>
        <translation>L1 正則化</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+70"/>
        <source>off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Gradient clip (norm)</source>
        <translation>勾配クリッピング (ノルム)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Learning-rate schedule</source>
        <translation>学習率のスケジュール</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Constant</source>
        <translation>一定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exponential</source>
        <translation>指数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cosine annealing</source>
        <translation>コサインアニーリング</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One-cycle</source>
        <translation>ワンサイクル</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reduce on plateau</source>
        <translation>停滞時に減衰</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Schedule</source>
        <translation>スケジュール</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Warm-up epochs</source>
        <translation>ウォームアップのエポック数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step every (epochs)</source>
        <translation>下げる間隔 (エポック)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gamma (factor)</source>
        <translation>γ (係数)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Plateau patience</source>
        <translation>停滞の猶予エポック数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Minimum rate</source>
        <translation>学習率の下限</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The learning rate each epoch will use.</source>
        <translation>各エポックで使われる学習率です。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Data augmentation (images)</source>
        <translation>データ拡張 (画像)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shift (share of side)</source>
        <translation>平行移動 (辺に対する割合)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rotation</source>
        <translation>回転</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source> °</source>
        <translation> °</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Zoom (±)</source>
        <translation>拡大・縮小 (±)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Slant (shear)</source>
        <translation>傾き (せん断)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Training</source>
        <translation>学習</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Run name</source>
        <translation>実行の名前</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Device and reproducibility</source>
        <translation>デバイスと再現性</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Automatic (GPU if present)</source>
        <translation>自動 (GPU があれば GPU)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deterministic algorithms</source>
        <translation>決定的なアルゴリズムを使う</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Early stopping</source>
        <translation>早期終了</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop when validation stops improving</source>
        <translation>検証データで改善しなくなったら終了</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>validation loss</source>
        <translation>検証データの損失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation accuracy</source>
        <translation>検証データの正解率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Watch</source>
        <translation>監視する指標</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>smaller is better</source>
        <translation>小さいほど良い</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>larger is better</source>
        <translation>大きいほど良い</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mode</source>
        <translation>モード</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Patience</source>
        <translation>猶予エポック数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Minimum change</source>
        <translation>最小の変化量</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep the best epoch&apos;s weights</source>
        <translation>最良のエポックの重みを残す</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{device} (not on this machine)</source>
        <translation>{device} (このマシンにはありません)</translation>
    </message>
</context>
<context>
    <name>InsidePanel</name>
    <message>
        <location filename="../../workbench/ui/inside_panel.py" line="+76"/>
        <source>Activations</source>
        <translation>アクティベーション</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weights</source>
        <translation>重み</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradients (log10)</source>
        <translation>勾配 (log10)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What the histograms count: each hidden layer&apos;s outputs after its activation function on 1,000 validation samples, its weights, or its weight gradients from the last training batch.</source>
        <translation>ヒストグラムに表示するもの: 各隠れ層の活性化関数の出力 (検証データの 1,000 サンプルに対するもの)、その層の重み、または最後に学習したミニバッチでの重みの勾配。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Look back at any recorded epoch.</source>
        <translation>記録された任意のエポックを振り返ります。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>At initialisation</source>
        <translation>初期状態</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Build the model in the form with its initial weights and show each layer&apos;s activations, without training: the book&apos;s weight-initialisation experiment.</source>
        <translation>フォームのモデルを重みの初期値のまま構築し、学習せずに各層のアクティベーションを表示します。本書の重みの初期値の実験です。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Whose network to look inside: a recorded run.</source>
        <translation>中を見るネットワーク (記録された実行) を選びます。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>gradient norm</source>
        <translation>勾配のノルム</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gradient norm per layer (log)</source>
        <translation>層ごとの勾配のノルム (対数)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Train a run, or press “At initialisation”, to see inside the network: how each hidden layer&apos;s outputs, weights and gradients are spread.</source>
        <translation>学習を実行するか「初期状態」を押すと、ネットワークの中を見られます。各隠れ層の出力、重み、勾配がどう分布しているかがわかります。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Run:</source>
        <translation>実行:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show:</source>
        <translation>表示:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Epoch:</source>
        <translation>エポック:</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+12"/>
        <source>run {id}: {name}</source>
        <translation>実行 {id}: {name}</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>epoch 0: at initialisation</source>
        <translation>エポック 0: 初期状態</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>during epoch {epoch}</source>
        <translation>エポック {epoch} の途中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>after epoch {epoch}</source>
        <translation>エポック {epoch} の後</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>none yet</source>
        <translation>まだなし</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>+{count} more layers</source>
        <translation>ほか {count} 層</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>dead {share:.0%}</source>
        <translation>死んだ ReLU {share:.0%}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>saturated {share:.0%}</source>
        <translation>飽和 {share:.0%}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>mean {mean:.2g}, std {std:.2g}</source>
        <translation>平均 {mean:.2g}、標準偏差 {std:.2g}</translation>
    </message>
</context>
<context>
    <name>InsideView</name>
    <message>
        <location filename="../../workbench/ui/inside_view.py" line="+144"/>
        <source>Applied {changes}: press Train to try it.</source>
        <translation>{changes} を適用しました。「学習」を押して試してください。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Looking inside the untrained model…</source>
        <translation>未学習のモデルの中を調べています…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Activations at initialisation: the model as it would start training.</source>
        <translation>初期状態のアクティベーション: 学習を始める時点のモデルです。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot look inside the model: {error}</source>
        <translation>モデルの中を見られません: {error}</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../../workbench/ui/language_menu.py" line="+25"/>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>System</source>
        <translation>システム</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The new language applies when the workbench starts again.</source>
        <translation>新しい言語は、ワークベンチを次に起動したときに反映されます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A run is in progress: restart once it has finished.</source>
        <translation>学習の実行中です。終わってから再起動してください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Restart now? The window closes and opens again on the experiment it was started with; save your changes to the experiment first to keep them.</source>
        <translation>今すぐ再起動しますか? ウィンドウを閉じ、起動したときの実験でもう一度開きます。実験への変更を残すには、先に保存してください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Restart now</source>
        <translation>今すぐ再起動</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Later</source>
        <translation>後で</translation>
    </message>
</context>
<context>
    <name>LayerEditor</name>
    <message>
        <location filename="../../workbench/ui/layer_editor.py" line="+149"/>
        <source>Neurons in this layer: more can fit more, and overfit.</source>
        <translation>この層のニューロン数です。多いほど複雑なデータに対応できますが、過学習しやすくなります。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Units</source>
        <translation>ニューロン数</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Filters, each making one output channel.</source>
        <translation>フィルターの数です。フィルター 1 つが出力の 1 チャンネルになります。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Width and height of each filter, in pixels.</source>
        <translation>各フィルターの幅と高さ (ピクセル) です。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pixels the filter moves between two outputs.</source>
        <translation>出力 1 つごとにフィルターを動かすピクセル数です。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Zeros added around the image; kernel 3 with 1 keeps size.</source>
        <translation>画像の周囲に加える 0 の幅です。カーネルサイズ 3 でパディング 1 なら、大きさが変わりません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channels</source>
        <translation>チャンネル数</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Kernel</source>
        <translation>カーネルサイズ</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Stride</source>
        <translation>ストライド</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Padding</source>
        <translation>パディング</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Keeps the largest value of each kernel x kernel patch.</source>
        <translation>カーネルサイズ × カーネルサイズの各領域から最大値を取り出します (Max プーリング)。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Share of units switched off at random while training, against overfitting.</source>
        <translation>学習中にランダムに消去するニューロンの割合です。過学習を抑えます (6.4 正則化の Dropout)。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drop probability</source>
        <translation>消去する確率</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Turns an image (channels x height x width) into one flat vector.</source>
        <translation>画像 (チャンネル × 高さ × 幅) を 1 次元のベクトルに平坦化します。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Normalises each unit (or channel) over the batch, then scales and shifts it: training is faster and less sensitive to the initialisation. No settings.</source>
        <translation>各ニューロン (またはチャンネル) をミニバッチ単位で正規化し、スケールとシフトを行います。学習が速く進み、重みの初期値にあまり左右されなくなります (6.3 Batch Normalization)。設定項目はありません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Select a layer to edit it.</source>
        <translation>層を選択すると編集できます。</translation>
    </message>
</context>
<context>
    <name>LearningRatePlot</name>
    <message>
        <location filename="../../workbench/ui/training_plots.py" line="+174"/>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+13"/>
        <source>planned</source>
        <translation>予定</translation>
    </message>
    <message>
        <location line="-7"/>
        <location line="+6"/>
        <source>used</source>
        <translation>実際</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Learning rate</source>
        <translation>学習率</translation>
    </message>
</context>
<context>
    <name>LessonsPanel</name>
    <message>
        <location filename="../../workbench/ui/lessons_panel.py" line="+119"/>
        <source>Run lesson</source>
        <translation>レッスンを実行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train the lesson&apos;s runs here, with the curves live, then say what they show</source>
        <translation>レッスンの学習をここで実行し (学習曲線はその場で表示されます)、結果からわかることを示します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open in form</source>
        <translation>フォームで開く</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Put the lesson&apos;s experiment into the form, to go on from it</source>
        <translation>レッスンの実験をフォームに入れ、そこから続けます</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Run on the data you opened ({name}) instead of the digits</source>
        <translation>手書き数字の代わりに、開いたデータ ({name}) で実行する</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>At most {limit} training samples, so that a lesson takes about as long as on the digits. The lessons were written for the digits: on other data a point may not hold, and the lesson says so, with your numbers.</source>
        <translation>訓練データは最大 {limit} 個です。レッスンにかかる時間が手書き数字のときと同じくらいになるようにしています。レッスンは手書き数字向けに書かれているので、ほかのデータではポイントが成り立たないことがあります。そのときは、あなたの数値とともにそう表示します。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Done: {held} of {count} of the lesson&apos;s points hold on your runs.</source>
        <translation>完了: レッスンの {count} 個のポイントのうち、{held} 個があなたの実行で成り立ちました。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{runs} run(s), about {minutes} min on a 2-core laptop</source>
        <translation>{runs} 回の学習、2 コアのノート PC で約 {minutes} 分</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>What to notice</source>
        <translation>注目するところ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What your runs show</source>
        <translation>あなたの実行からわかること</translation>
    </message>
</context>
<context>
    <name>LessonsView</name>
    <message>
        <location filename="../../workbench/ui/lessons_view.py" line="+197"/>
        <source>Search round {number}/{count}: trial {done}/{total}</source>
        <translation>探索ラウンド {number}/{count}: 試行 {done}/{total}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The best values, trained in full: epoch {epoch}/{epochs}</source>
        <translation>最良の値ですべて学習: エポック {epoch}/{epochs}</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>The lesson&apos;s experiment is in the form: change it and press Train.</source>
        <translation>レッスンの実験をフォームに入れました。変更して「学習」を押してください。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Run {number}/{count}: epoch {epoch}/{epochs}</source>
        <translation>学習 {number}/{count}: エポック {epoch}/{epochs}</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>The lesson ended early ({status}): its points need all of its runs.</source>
        <translation>レッスンは途中で終わりました ({status})。ポイントの確認にはすべての学習が必要です。</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Testing the chosen run once…</source>
        <translation>選んだ実行をテストデータで一度だけ評価しています…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reading the new data…</source>
        <translation>新しいデータを読んでいます…</translation>
    </message>
</context>
<context>
    <name>LivePlot</name>
    <message>
        <location filename="../../workbench/ui/live_plot.py" line="+474"/>
        <source>train</source>
        <translation>訓練データ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>validation</source>
        <translation>検証データ</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>best</source>
        <translation>最良</translation>
    </message>
</context>
<context>
    <name>LrFinder</name>
    <message>
        <location filename="../../workbench/ui/lr_finder_dialog.py" line="+430"/>
        <source>Learning rate set to {rate} by the range test: press Train to try it.</source>
        <translation>学習率レンジテストにより、学習率を {rate} に設定しました。「学習」を押して試してください。</translation>
    </message>
</context>
<context>
    <name>LrFinderDialog</name>
    <message>
        <location line="-353"/>
        <source>Find learning rate</source>
        <translation>学習率を探す</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A copy of the model trains for a few mini-batches while the learning rate grows from very small to very large: the loss stays flat, falls, then explodes. A good rate lies where it falls. Your model and the form stay as they are until you press Use; the test data is not used.</source>
        <translation>モデルのコピーを数ミニバッチだけ学習しながら、学習率をごく小さい値からごく大きい値まで上げていきます。損失は横ばいから下がり始め、やがて発散します。良い学習率は損失が下がっている範囲にあります。「使用」を押すまで、モデルとフォームは変わりません。テストデータは使いません。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The rate of the first mini-batch.</source>
        <translation>最初のミニバッチの学習率。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The rate of the last mini-batch, if the loss has not exploded by then.</source>
        <translation>最後のミニバッチの学習率 (それまでに損失が発散しなかった場合)。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mini-batches in the sweep: more give a smoother curve and take longer.</source>
        <translation>スイープで使うミニバッチの数: 多いほど曲線はなめらかになりますが、時間がかかります。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run again</source>
        <translation>再実行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sweep again with these settings.</source>
        <translation>この設定でもう一度スイープします。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>From</source>
        <translation>学習率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to</source>
        <translation>〜</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps</source>
        <translation>ステップ数</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+134"/>
        <location line="+19"/>
        <source>%v / %m steps</source>
        <translation>%v / %m ステップ</translation>
    </message>
    <message>
        <location line="-152"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the sweep after the current mini-batch.</source>
        <translation>現在のミニバッチが終わったらスイープを止めます。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put the suggested rate into the form&apos;s learning rate.</source>
        <translation>提案された学習率をフォームの学習率に入れます。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training loss</source>
        <translation>訓練データの損失</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>batch loss</source>
        <translation>ミニバッチの損失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>smoothed</source>
        <translation>平滑化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>suggested</source>
        <translation>提案</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>lowest</source>
        <translation>最小</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The last rate must be larger than the first.</source>
        <translation>最後の学習率は最初の学習率より大きくしてください。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>loading the data…</source>
        <translation>データを読み込んでいます…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sweeping the learning rate from {start} to {end}…</source>
        <translation>学習率を {start} から {end} までスイープしています…</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>{done} of {steps} steps: the loss exploded</source>
        <translation>{done}/{steps} ステップ: 損失が発散しました</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The sweep could not run: {error}</source>
        <translation>スイープを実行できませんでした: {error}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cancelled after {done} of {steps} steps: no suggestion.</source>
        <translation>{done}/{steps} ステップでキャンセルしました。提案はありません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{done} steps are too few to suggest from: take more steps.</source>
        <translation>{done} ステップでは少なすぎて提案できません。ステップ数を増やしてください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The loss exploded after {done} steps, at a rate of {rate}: too soon to suggest a rate. Start lower or take more steps.</source>
        <translation>{done} ステップ後、学習率 {rate} で損失が発散しました。発散が早すぎて学習率を提案できません。もっと小さい学習率から始めるか、ステップ数を増やしてください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>valley (the middle of the longest fall)</source>
        <translation>valley (最も長く下がり続ける区間の中ほど)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>steepest (where the loss falls fastest)</source>
        <translation>steepest (損失が最も速く下がる点)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;Suggested learning rate: {rate}&lt;/b&gt;, a tenth of {lowest}, the rate at which the smoothed loss is lowest.</source>
        <translation>&lt;b&gt;提案する学習率: {rate}&lt;/b&gt;。平滑化した損失が最小になる学習率 {lowest} の 1/10 です。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>There it is about to explode; a decade lower it still falls fast.</source>
        <translation>損失はそこで発散する寸前ですが、1 桁小さい学習率ではまだ速く下がっています。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The loss had not exploded by the last rate: a larger last rate shows more.</source>
        <translation>最後の学習率まで損失は発散しませんでした。最後の学習率を大きくすると、さらに先まで見られます。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fastai&apos;s other rules: {others}.</source>
        <translation>fastai のほかの規則による値: {others}。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="+97"/>
        <location line="+287"/>
        <source>Training Workbench</source>
        <translation>Training Workbench</translation>
    </message>
    <message>
        <location line="-260"/>
        <source>Run on</source>
        <translation>実行する場所</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ready: press Train (Ctrl+Enter) to start.</source>
        <translation>準備完了: 「学習」(Ctrl+Enter) を押すと学習を開始します。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Run history unavailable ({problem}); this session&apos;s runs are kept in a temporary store.</source>
        <translation>実行の履歴を使えません ({problem})。このセッションの実行は一時的な保存先に記録されます。</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Training</source>
        <translation>学習</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Data</source>
        <translation>データ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inside</source>
        <translation>内部</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paths</source>
        <translation>更新経路</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lessons</source>
        <translation>レッスン</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Optimizer paths on 2-D functions: how each optimizer walks to the minimum</source>
        <translation>2 次元の関数での最適化手法の更新経路: 各手法が最小値へどう進むか</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Runs</source>
        <translation>実行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predict</source>
        <translation>推論</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search</source>
        <translation>探索</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/menus.py" line="+58"/>
        <source>&amp;Open experiment…</source>
        <translation>実験を開く(&amp;O)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;dataset file…</source>
        <translation>データセットのファイルを開く(&amp;D)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open dataset &amp;folder…</source>
        <translation>データセットのフォルダを開く(&amp;F)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Save experiment…</source>
        <translation>実験を保存(&amp;S)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Export report…</source>
        <translation>レポートを書き出す(&amp;E)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Train</source>
        <translation>学習(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Evaluate on test set</source>
        <translation>テストデータで評価(&amp;E)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Run</source>
        <translation>実行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/training_place.py" line="+26"/>
        <source>Train in a separate &amp;process</source>
        <translation>別のプロセスで学習(&amp;P)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Train in a second Python process: drawing the window no longer slows a small model down. It holds a second copy of PyTorch and of the data in memory, and the first run waits for it to load PyTorch.</source>
        <translation>もう 1 つのプロセスで学習します。ウィンドウの描画が小さなモデルの学習を遅くしなくなります。PyTorch とデータの 2 つ目のコピーをメモリに持ち、最初の学習はそのプロセスが PyTorch を読み込むのを待ちます。</translation>
    </message>
</context>
<context>
    <name>ModelBuilder</name>
    <message>
        <location filename="../../workbench/ui/layer_editor.py" line="-216"/>
        <source>Sigmoid</source>
        <translation>sigmoid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leaky ReLU</source>
        <translation>Leaky ReLU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ELU</source>
        <translation>ELU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Swish (SiLU)</source>
        <translation>Swish (SiLU)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GELU</source>
        <translation>GELU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Identity (none)</source>
        <translation>恒等関数 (なし)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>PyTorch default</source>
        <translation>PyTorch の既定値</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal (std)</source>
        <translation>正規分布 (標準偏差を指定)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xavier / Glorot</source>
        <translation>Xavier の初期値 (Glorot)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>He / Kaiming</source>
        <translation>He の初期値 (Kaiming)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/model_builder.py" line="+59"/>
        <source>Dense  {units} units, {activation}, {init}</source>
        <translation>Dense  {units} ニューロン、{activation}、{init}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Conv2d  {channels} x {k}x{k} /{stride} pad {padding}, {activation}</source>
        <translation>Conv2d  {channels} x {k}x{k} /{stride} パディング {padding}、{activation}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>MaxPool2d  {k}x{k}</source>
        <translation>MaxPool2d  {k}x{k}</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+98"/>
        <source>Flatten</source>
        <translation>Flatten</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>Dropout  p = {p:g}</source>
        <translation>Dropout  p = {p:g}</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+96"/>
        <source>BatchNorm</source>
        <translation>BatchNorm</translation>
    </message>
    <message>
        <location line="-86"/>
        <source>5-layer MLP (4 x 100 ReLU)</source>
        <translation>5 層の MLP (隠れ層 100 × 4、ReLU)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>7-layer MLP (6 x 100 ReLU)</source>
        <translation>7 層の MLP (隠れ層 100 × 6、ReLU)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Small CNN (conv-relu-pool x 2)</source>
        <translation>小さな CNN (畳み込み・ReLU・プーリング × 2)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Layer</source>
        <translation>層</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Params</source>
        <translation>パラメータ数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layer number, as messages about the model name it</source>
        <translation>層の番号です。モデルについてのメッセージでは、この番号で層を示します。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Hidden layers, input at the top.</source>
        <translation>隠れ層の一覧です (上が入力側)。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Set by the dataset: one output per class; the loss applies the softmax.</source>
        <translation>データセットによって決まります。クラスごとに 1 つの出力があり、softmax 関数は損失関数の中で適用されます。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Show model…</source>
        <translation>モデルを表示…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model as PyTorch prints it.</source>
        <translation>PyTorch が表示するとおりのモデルの構成を表示します。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Add</source>
        <translation>追加</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dense</source>
        <translation>Dense (全結合層)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conv2d</source>
        <translation>Conv2d (畳み込み層)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>MaxPool2d</source>
        <translation>MaxPool2d (プーリング層)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Presets</source>
        <translation>プリセット</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Replace the layers with a classic network.</source>
        <translation>層を定番のネットワーク構成に置き換えます。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Up</source>
        <translation>上へ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Down</source>
        <translation>下へ</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>Model as PyTorch prints it</source>
        <translation>PyTorch によるモデルの表示</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>This model cannot be built yet:
{error}</source>
        <translation>このモデルはまだ構築できません:
{error}</translation>
    </message>
    <message>
        <location line="+53"/>
        <location line="+16"/>
        <source>Input: {n} features</source>
        <translation>入力: 特徴量 {n} 個</translation>
    </message>
    <message>
        <location line="-13"/>
        <location line="+17"/>
        <source>Output: Dense {classes} (one per class, softmax in the loss)</source>
        <translation>出力: Dense {classes} (クラスごとに 1 つ、softmax 関数は損失関数の中)</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Parameters: counting once PyTorch has loaded…</source>
        <translation>パラメータ数: PyTorch の読み込み後に数えます…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Input: flat features (not an image)</source>
        <translation>入力: 特徴量のベクトル (画像ではありません)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Input: {shape} image</source>
        <translation>入力: {shape} の画像</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Output: {error}</source>
        <translation>出力: {error}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Parameters: — (the model cannot be built)</source>
        <translation>パラメータ数: — (モデルを構築できません)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Parameters: {count:,}</source>
        <translation>パラメータ数: {count:,}</translation>
    </message>
</context>
<context>
    <name>ModelInputView</name>
    <message>
        <location filename="../../workbench/ui/digit_canvas.py" line="+28"/>
        <source>What the model is given: your drawing laid out like its training data, ink where that data (almost) never has any dimmed</source>
        <translation>モデルに渡される入力です。書いた数字を訓練データと同じ形式に整えたもので、訓練データに (ほぼ) インクが来ない位置のインクは暗く表示されます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model input image</source>
        <translation>モデルへの入力画像</translation>
    </message>
</context>
<context>
    <name>OptimizerPathsPanel</name>
    <message>
        <location filename="../../workbench/ui/optimizer_paths_panel.py" line="+53"/>
        <source>The book&apos;s x²/20 + y²</source>
        <translation>本書の x²/20 + y²</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rosenbrock (curved valley)</source>
        <translation>Rosenbrock (曲がった谷)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Beale (flat plateau)</source>
        <translation>Beale (平らな台地)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saddle x² − y²</source>
        <translation>鞍点 x² − y²</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Himmelblau (four minima)</source>
        <translation>Himmelblau (4 つの極小値)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Constant rate</source>
        <translation>一定の学習率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step (halve every third)</source>
        <translation>ステップ (全体の 1/3 ごとに半減)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exponential decay</source>
        <translation>指数減衰</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cosine annealing</source>
        <translation>コサインアニーリング</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One-cycle</source>
        <translation>ワンサイクル</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reduce on plateau</source>
        <translation>停滞時に減衰</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>The function the optimizers minimise, as a loss of two weights x and y. Choosing one sets its start point, steps and learning rates.</source>
        <translation>最適化手法が最小化する関数 (2 つの重み x と y についての損失) です。選ぶと、その関数の開始点、ステップ数、学習率が設定されます。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A learning-rate schedule of the training engine; one step is one epoch.</source>
        <translation>学習エンジンの学習率のスケジュールです。1 ステップを 1 エポックとみなします。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Where the paths start (x); or click the plot.</source>
        <translation>経路の開始点 (x)。プロットをクリックしても指定できます。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where the paths start (y); or click the plot.</source>
        <translation>経路の開始点 (y)。プロットをクリックしても指定できます。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How many optimizer steps each path takes.</source>
        <translation>各経路で最適化手法が進むステップ数。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Random noise added to every gradient (its standard deviation), the same draws for every optimizer: what estimating the gradient from a mini-batch does to the path.</source>
        <translation>各勾配に加えるランダムなノイズ (の標準偏差) です。どの最適化手法にも同じ乱数を使います。ミニバッチから勾配を推定すると経路がどう変わるかを示します。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Defaults</source>
        <translation>デフォルト</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Back to the function&apos;s own start point, steps and learning rates.</source>
        <translation>関数ごとの既定の開始点、ステップ数、学習率に戻します。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export figure…</source>
        <translation>図をエクスポート…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the paths as drawn now, as PNG or SVG.</source>
        <translation>いま描かれている経路を PNG または SVG で保存します。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Click to start the paths from that point.</source>
        <translation>クリックすると、その点から経路を開始します。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Function:</source>
        <translation>関数:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schedule:</source>
        <translation>スケジュール:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start:</source>
        <translation>開始点:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Steps:</source>
        <translation>ステップ数:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Noise:</source>
        <translation>ノイズ:</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>Tick at least one optimizer.</source>
        <translation>最適化手法を 1 つ以上チェックしてください。</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Click the plot to start the paths from another point.</source>
        <translation>プロットをクリックすると、別の点から経路を開始できます。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>diverged at {n}</source>
        <translation>{n} ステップで発散</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Export figure</source>
        <translation>図のエクスポート</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG 画像 (*.png);;SVG 画像 (*.svg)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Saved the figure to {path}.</source>
        <translation>図を {path} に保存しました。</translation>
    </message>
</context>
<context>
    <name>OptimizerPathsTable</name>
    <message>
        <location filename="../../workbench/ui/optimizer_paths_table.py" line="+36"/>
        <location line="+7"/>
        <source>momentum</source>
        <translation>モーメンタム</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>alpha</source>
        <translation>α</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>β1</source>
        <translation>β1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>decay</source>
        <translation>荷重減衰</translation>
    </message>
</context>
<context>
    <name>OptimizerTable</name>
    <message>
        <location line="+14"/>
        <source>Walk this optimizer down the function.</source>
        <translation>この最適化手法で関数を下っていきます。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Its learning rate. Each function starts with rates that suit it.</source>
        <translation>この手法の学習率。関数ごとに、その関数に合った学習率から始まります。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This optimizer&apos;s own setting, as in the form.</source>
        <translation>この最適化手法に固有の設定 (フォームと同じもの)。</translation>
    </message>
    <message>
        <location line="+43"/>
        <location line="+50"/>
        <source>Distance</source>
        <translation>距離</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Optimizer</source>
        <translation>最適化手法</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Setting</source>
        <translation>設定</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>From saddle</source>
        <translation>鞍点からの距離</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How far the path is from the nearest minimum.</source>
        <translation>経路から最も近い最小値までの距離。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The saddle has no minimum: how far the path is from its saddle point.</source>
        <translation>この鞍点の関数には最小値がありません。経路から鞍点までの距離です。</translation>
    </message>
</context>
<context>
    <name>PathsPlayer</name>
    <message>
        <location filename="../../workbench/ui/optimizer_paths_player.py" line="+38"/>
        <source>Back to the start point (step 0).</source>
        <translation>開始点 (ステップ 0) に戻ります。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the start</source>
        <translation>開始点に戻る</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+81"/>
        <source>Play</source>
        <translation>再生</translation>
    </message>
    <message>
        <location line="-78"/>
        <source>Play the paths step by step, or pause them.</source>
        <translation>経路を 1 ステップずつ再生、または一時停止します。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step</source>
        <translation>ステップ送り</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One optimizer step further.</source>
        <translation>最適化手法のステップを 1 つ進めます。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Look at any step.</source>
        <translation>任意のステップを表示します。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{n}/s</source>
        <translation>{n}/秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How many steps a second Play shows.</source>
        <translation>再生時に 1 秒あたりに進むステップ数。</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>step {n} / {total}</source>
        <translation>ステップ {n} / {total}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
</context>
<context>
    <name>PredictPanel</name>
    <message>
        <location filename="../../workbench/ui/predict_panel.py" line="+140"/>
        <source>The trained run whose model predicts</source>
        <translation>推論に使うモデルを持つ、学習済みの実行</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>File…</source>
        <translation>ファイル…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predict on a CSV or NPZ file, or an image</source>
        <translation>CSV・NPZ ファイルまたは画像に対して推論します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder…</source>
        <translation>フォルダ…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+265"/>
        <source>Predict on a folder of images</source>
        <translation>画像のフォルダに対して推論</translation>
    </message>
    <message>
        <location line="-264"/>
        <source>Save CSV…</source>
        <translation>CSV を保存…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the predictions as a CSV file</source>
        <translation>推論結果を CSV ファイルに保存します</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Model sees:</source>
        <translation>モデルへの入力:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clear</source>
        <translation>消去</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear the drawing (Delete)</source>
        <translation>描いた数字を消去 (Delete)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>probability</source>
        <translation>確率</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Model of run:</source>
        <translation>推論に使う実行:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Predict on new data</source>
        <translation>新しいデータで推論</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+280"/>
        <source>Draw a digit</source>
        <translation>数字を描く</translation>
    </message>
    <message>
        <location line="-232"/>
        <source>run {id} · {name} · {data} · test accuracy {accuracy:.3f}</source>
        <translation>実行 {id} · {name} · {data} · テストデータの正解率 {accuracy:.3f}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>{n} features</source>
        <translation>特徴量 {n} 個</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{classes} classes, input {shape}, normalised &apos;{normalize}&apos; with the training statistics of run {id}; weights: {kept}.</source>
        <translation>{classes} クラス、入力 {shape}、実行 {id} の訓練データの統計量で正規化 (&apos;{normalize}&apos;)、重み: {kept}。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Trained without data augmentation, it reads new handwriting less well than the test digits; Shift, Rotation and Slant in the form train one that reads it better.</source>
        <translation>データ拡張なしで学習したモデルなので、新しい手書き数字はテストデータの数字ほどうまく読み取れません。フォームのデータ拡張 (平行移動・回転・傾き) を設定して学習すると、よりよく読み取れるモデルになります。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>as saved</source>
        <translation>保存されたもの</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>best epoch {epoch}</source>
        <translation>最良のエポック {epoch}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last epoch {epoch}</source>
        <translation>最後のエポック {epoch}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No run evaluated on the test set yet: press Evaluate on test set after a run (or Test… in the Runs tab), then predict with it here.</source>
        <translation>テストデータで評価した実行がまだありません。学習のあとで「テストデータで評価」を押す (または「実行」タブの「テスト…」) と、ここで推論に使えます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No trained run yet: train a model and evaluate it on the test set, then predict with it here.</source>
        <translation>学習済みの実行がまだありません。モデルを学習してテストデータで評価すると、ここで推論に使えます。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Pick a trained run to draw for it.</source>
        <translation>学習済みの実行を選ぶと、数字を描いて推論できます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your drawing is cropped, scaled to {height}×{width} and centred the way the training images were, then normalised like them.</source>
        <translation>描いた数字は、訓練データの画像と同じように切り抜いて {height}×{width} にサイズ変更し、中央に配置してから、同じ方法で正規化します。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Drawing works with models of one-channel images, such as digits.</source>
        <translation>手描きによる推論は、数字のような 1 チャンネル画像のモデルでのみ使えます。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Predict on a file</source>
        <translation>ファイルに対して推論</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Data files (*.csv *.npz *.png *.jpg *.jpeg *.bmp *.gif *.webp);;All files (*)</source>
        <translation>データファイル (*.csv *.npz *.png *.jpg *.jpeg *.bmp *.gif *.webp);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Reading and predicting {path}…</source>
        <translation>{path} を読み込んで推論しています…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{n} predictions.</source>
        <translation>{n} 件を推論しました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accuracy against the file&apos;s own labels: {accuracy:.4f}.</source>
        <translation>ファイル内のラベルに対する正解率: {accuracy:.4f}。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Save predictions</source>
        <translation>推論結果を保存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV file (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot write {path}: {error}</source>
        <translation>{path} に書き込めません: {error}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved to {path}.</source>
        <translation>{path} に保存しました。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{height}×{width} pixels</source>
        <translation>{height}×{width} ピクセル</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{name}  ({confidence:.0%})</source>
        <translation>{name}  ({confidence:.0%})</translation>
    </message>
</context>
<context>
    <name>PredictionsModel</name>
    <message>
        <location line="-433"/>
        <source>input</source>
        <translation>入力</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>predicted</source>
        <translation>推論結果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>confidence</source>
        <translation>確信度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>true class</source>
        <translation>正解クラス</translation>
    </message>
</context>
<context>
    <name>Previews</name>
    <message>
        <location filename="../../workbench/ui/previews.py" line="+113"/>
        <source>Preparing the preview…</source>
        <translation>プレビューを準備しています…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Too many steps to preview.</source>
        <translation>ステップ数が多すぎるため、プレビューできません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cuts depend on the validation loss: shown as if none happen.</source>
        <translation>学習率を下げるかどうかは検証データの損失で決まるため、一度も下げないものとして表示しています。</translation>
    </message>
</context>
<context>
    <name>RaceRatesDialog</name>
    <message>
        <location filename="../../workbench/ui/race_rates.py" line="+35"/>
        <source>Learning rates for the optimizer race</source>
        <translation>最適化手法レースの学習率</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Each optimizer races with a rate that suits its update rule. The defaults are the book&apos;s (SGD, Momentum, AdaGrad and RMSprop 0.01, Adam 0.001).</source>
        <translation>各最適化手法は、その更新式に合った学習率でレースします。デフォルトは本書の値です (SGD、Momentum、AdaGrad、RMSprop は 0.01、Adam は 0.001)。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{optimizer} learning rate</source>
        <translation>{optimizer} の学習率</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Book&apos;s rates</source>
        <translation>本書の学習率</translation>
    </message>
</context>
<context>
    <name>RayClusterDialog</name>
    <message>
        <location filename="../../workbench/ui/run_on.py" line="+45"/>
        <source>Train on a Ray cluster</source>
        <translation>Ray クラスタで学習</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HOST:PORT, ray://HOST:10001, auto or local</source>
        <translation>HOST:PORT、ray://HOST:10001、auto または local</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Address</source>
        <translation>アドレス</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPUs per run</source>
        <translation>1 回の実行の CPU 数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPUs per run</source>
        <translation>1 回の実行の GPU 数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The data file&apos;s path exists on the cluster: read it there, do not send it</source>
        <translation>データファイルのパスはクラスタ側にもある: 送らずにクラスタで読む</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>For a large data file the cluster&apos;s machines already have at the same path. The run checks the experiment against it there first; a path the cluster lacks ends the run in one line, with nothing recorded. Built-in data is always made there.</source>
        <translation>クラスタのマシンが同じパスにすでに持っている大きなデータファイル向けです。実行はまずクラスタ側でそのデータと実験を照合します。クラスタにないパスなら実行は 1 行のメッセージで終わり、何も記録されません。組み込みのデータは常にクラスタ側で作られます。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>What `ray start --head` printed on the cluster&apos;s head, or local to start a cluster on this computer. Each run trains there as a Ray task; its curves come back as it trains and it is recorded here. A dataset read from a file goes with the run unless the box above is ticked; the weights come back as safetensors.</source>
        <translation>クラスタのヘッドで `ray start --head` が表示したアドレスです。local にするとこのコンピュータでクラスタを起動します。各実行はそこで Ray タスクとして学習し、学習中の曲線はここに戻り、ここに記録されます。ファイルから読んだデータセットは、上のボックスにチェックを入れない限り実行と一緒に送られ、重みは safetensors で戻ります。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Ray is not installed: pip install &apos;workbench[cluster]&apos;</source>
        <translation>Ray がインストールされていません: pip install &apos;workbench[cluster]&apos;</translation>
    </message>
</context>
<context>
    <name>RecentFiles</name>
    <message>
        <location filename="../../workbench/ui/recent_files.py" line="+22"/>
        <source>Open &amp;Recent</source>
        <translation>最近使ったファイルを開く(&amp;R)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>(none yet)</source>
        <translation>(まだありません)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Clear list</source>
        <translation>履歴を消去</translation>
    </message>
</context>
<context>
    <name>ReportExport</name>
    <message>
        <location filename="../../workbench/ui/report_export.py" line="+25"/>
        <source>HTML report, opens in any browser (*.html)</source>
        <translation>HTML レポート、どのブラウザでも開けます (*.html)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF report (*.pdf)</source>
        <translation>PDF レポート (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON report, for programs (*.json)</source>
        <translation>JSON レポート、プログラム用 (*.json)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV tables: history and per-class metrics (*.csv)</source>
        <translation>CSV の表: 学習の履歴とクラスごとの評価指標 (*.csv)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Export report</source>
        <translation>レポートを書き出す</translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <location filename="../../workbench/ui/results_panel.py" line="+88"/>
        <source>Test set (evaluated once, for the model you choose)</source>
        <translation>テストデータ (選んだモデルについて一度だけ評価)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>value</source>
        <translation>値</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accuracy</source>
        <translation>正解率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>precision (macro)</source>
        <translation>適合率 (マクロ平均)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>recall (macro)</source>
        <translation>再現率 (マクロ平均)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F1 (macro)</source>
        <translation>F値 (マクロ平均)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F1 (weighted)</source>
        <translation>F値 (重み付き平均)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-k accuracy</source>
        <translation>top-k 正解率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ROC-AUC</source>
        <translation>ROC-AUC</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The share of samples whose true class is among the k most likely.</source>
        <translation>正解クラスが、確率の高い上位 k クラスに入っているサンプルの割合です。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Area under the ROC curve; for two classes only.</source>
        <translation>ROC 曲線の下側の面積です。2 クラスの場合だけ求めます。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Rows: true class. Columns: predicted class.</source>
        <translation>行: 正解クラス。列: 推論したクラス。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Rows: true class. Columns: predicted class. Double-click a cell to see its test examples.</source>
        <translation>行: 正解クラス。列: 推論したクラス。セルをダブルクリックすると、そのセルに入るテストデータの例を表示します。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Show mistakes…</source>
        <translation>誤りを表示…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The test images the model got wrong most confidently</source>
        <translation>モデルが高い確信度で誤ったテスト画像</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>false positive rate</source>
        <translation>偽陽性率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>true positive rate</source>
        <translation>真陽性率</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Confusion matrix
rows true, columns predicted</source>
        <translation>混同行列
行: 正解、列: 推論</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Train a model to see its test metrics here.</source>
        <translation>モデルを学習すると、テストデータでの評価指標がここに表示されます。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Training on the training data, judged on the validation data. The test set is left alone until you press Evaluate on test set (Ctrl+T).</source>
        <translation>訓練データで学習し、検証データで評価しています。テストデータは「テストデータで評価」(Ctrl+T) を押すまで使いません。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The test set was not used. When this is your final model, press Evaluate on test set (Ctrl+T): that is the one look at the test set that counts.</source>
        <translation>テストデータは使っていません。これを最終的なモデルにするなら「テストデータで評価」(Ctrl+T) を押してください。意味があるのは、この一度きりのテストデータでの評価です。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Tested with the weights of the best epoch ({epoch}).</source>
        <translation>最良のエポック ({epoch}) の重みでテストしました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tested with the weights of the last epoch ({epoch}).</source>
        <translation>最後のエポック ({epoch}) の重みでテストしました。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>top-{k} accuracy</source>
        <translation>top-{k} 正解率</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>ROC curve, AUC {auc:.3f}</source>
        <translation>ROC 曲線、AUC {auc:.3f}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>This test set has now been evaluated {n} times. Choosing hyperparameters after seeing test results makes them look better than they are: tune on validation data, and look at the test set once.</source>
        <translation>このテストデータでの評価はこれで {n} 回目です。テスト結果を見てからハイパーパラメータを選ぶと、実際よりも良い結果に見えてしまいます。ハイパーパラメータは検証データで調整し、テストデータは一度だけ見るようにしてください。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{true} → {predicted}, {confidence:.0%}</source>
        <translation>{true} → {predicted}、{confidence:.0%}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Most confident mistakes</source>
        <translation>確信度の高い誤り</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Each caption: true class → predicted class, and the model&apos;s confidence.</source>
        <translation>各画像の説明: 正解クラス → 推論したクラス、モデルの確信度。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>True {true}, predicted {predicted}</source>
        <translation>正解 {true}、推論 {predicted}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{n} test samples of class {true} predicted as {predicted}.</source>
        <translation>正解がクラス {true} で、{predicted} と推論されたテストサンプル: {n} 個。</translation>
    </message>
</context>
<context>
    <name>RunControls</name>
    <message>
        <location filename="../../workbench/ui/run_controls.py" line="+28"/>
        <source>Train</source>
        <translation>学習</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start training (Ctrl+Enter)</source>
        <translation>学習を開始 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop after the current batch (Ctrl+.)</source>
        <translation>現在のミニバッチの後で停止 (Ctrl+.)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Train one run per variant, from the same initial weights and batch order, and overlay them in the Runs tab</source>
        <translation>比較する設定ごとに 1 回ずつ、同じ重みの初期値と同じミニバッチの順序で学習し、「実行」タブに重ねて表示します</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>optimizers</source>
        <translation>最適化手法</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SGD, Momentum, AdaGrad, RMSprop, Adam, each with its own learning rate</source>
        <translation>SGD、Momentum、AdaGrad、RMSprop、Adam (それぞれ固有の学習率で)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>initialisations</source>
        <translation>重みの初期値</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>normal std 0.01, Xavier, He</source>
        <translation>標準偏差 0.01 の正規分布、Xavier の初期値、He の初期値</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>batch norm</source>
        <translation>Batch Norm</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>without and with batch norm</source>
        <translation>Batch Norm なし / あり</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rates…</source>
        <translation>学習率…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The learning rate each optimizer races with (the book&apos;s by default)</source>
        <translation>比較で各最適化手法が使う学習率 (既定値は書籍の値)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluate on test set</source>
        <translation>テストデータで評価</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Evaluate the last run&apos;s model on the test set (Ctrl+T). Do it once, for the model you have chosen: runs and comparisons while you explore use the validation data only.</source>
        <translation>最後の実行のモデルをテストデータで評価します (Ctrl+T)。評価は最終的に選んだモデルについて 1 回だけ行ってください。試行錯誤の間の実行や比較では検証データだけを使います。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export report…</source>
        <translation>レポートを書き出し…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the last run&apos;s test report as HTML, PDF, JSON or CSV (Ctrl+E)</source>
        <translation>最後の実行のテストレポートを HTML、PDF、JSON、CSV のいずれかで保存 (Ctrl+E)</translation>
    </message>
</context>
<context>
    <name>RunDisplay</name>
    <message>
        <location filename="../../workbench/ui/run_display.py" line="+109"/>
        <source>The run was not recorded: {error}</source>
        <translation>実行を記録できませんでした: {error}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The evaluation was not recorded: {error}</source>
        <translation>評価を記録できませんでした: {error}</translation>
    </message>
</context>
<context>
    <name>RunOnChooser</name>
    <message>
        <location filename="../../workbench/ui/run_on.py" line="+31"/>
        <source>This computer</source>
        <translation>このコンピュータ</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Ray cluster at {address}</source>
        <translation>Ray クラスタ ({address})</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Other Ray cluster…</source>
        <translation>別の Ray クラスタ…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ray, started on this computer</source>
        <translation>Ray (このコンピュータで起動)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The Ray cluster this computer is in</source>
        <translation>このコンピュータが参加している Ray クラスタ</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Runs train on this computer.</source>
        <translation>このコンピュータで学習します。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Runs train on the Ray cluster at {address}, each asking for {cpus:g} CPUs and {gpus:g} GPUs; they are recorded on this computer.</source>
        <translation>{address} の Ray クラスタで学習します。各実行は CPU {cpus:g} 個と GPU {gpus:g} 個を求めます。記録はこのコンピュータに残ります。</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <location filename="../../workbench/ui/status_names.py" line="+14"/>
        <source>completed</source>
        <translation>完了</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>early_stopped</source>
        <translation>早期終了</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>中止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>diverged</source>
        <translation>発散</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pruned</source>
        <translation>打ち切り</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>incomplete</source>
        <translation>未完了</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finished</source>
        <translation>終了</translation>
    </message>
</context>
<context>
    <name>RunSummary</name>
    <message>
        <location filename="../../workbench/ui/run_summary.py" line="+21"/>
        <source>Completed: {n} epochs (best epoch {best}).</source>
        <translation>完了: {n} エポック (最良エポック {best})。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Early stopping: no improvement for {patience} epochs; ended after epoch {n}, best epoch {best}.</source>
        <translation>早期終了: {patience} エポックの間改善がなかったため、エポック {n} で終了しました。最良エポックは {best} です。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stopped after {n} epochs (best epoch {best}): {reason}</source>
        <translation>{n} エポックで停止しました (最良エポック {best}): {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped by you after {n} epochs (best epoch {best}).</source>
        <translation>{n} エポックでユーザーが停止しました (最良エポック {best})。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pruned by the search after {n} epochs: clearly behind the other trials.</source>
        <translation>探索により {n} エポックで打ち切られました (枝刈り)。ほかの試行より明らかに劣っていました。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Failed: {error}</source>
        <translation>失敗: {error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test accuracy {accuracy:.4f}.</source>
        <translation>テストデータの正解率 {accuracy:.4f}。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The loss diverged in epoch {n}: the learning rate ({lr}) is probably too high; try 10x smaller.</source>
        <translation>エポック {n} で損失が発散しました。学習率 ({lr}) が大きすぎる可能性があります。10 分の 1 にしてみてください。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The validation loss diverged (went from {start} to {end} in epoch {epoch}): the learning rate ({lr}) is probably too high; try 10x smaller.</source>
        <translation>検証データの損失が発散しました (エポック {epoch} で {start} から {end} になりました)。学習率 ({lr}) が大きすぎる可能性があります。10 分の 1 にしてみてください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The loss diverged (grew from {start} to {end} in epoch {epoch}): the learning rate ({lr}) is probably too high; try 10x smaller.</source>
        <translation>損失が発散しました (エポック {epoch} で {start} から {end} に増加しました)。学習率 ({lr}) が大きすぎる可能性があります。10 分の 1 にしてみてください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The loss diverged (went from {start} to {end} in epoch {epoch}): the learning rate ({lr}) is probably too high; try 10x smaller.</source>
        <translation>損失が発散しました (エポック {epoch} で {start} から {end} になりました)。学習率 ({lr}) が大きすぎる可能性があります。10 分の 1 にしてみてください。</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <location filename="../../workbench/ui/runs_panel.py" line="+54"/>
        <source>id</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dataset</source>
        <translation>データセット</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>optimizer</source>
        <translation>最適化手法</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lr</source>
        <translation>学習率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>status</source>
        <translation>状態</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>val. acc. at best epoch</source>
        <translation>最良エポックの検証正解率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test acc</source>
        <translation>テスト正解率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Filter by name, dataset, optimizer, status…</source>
        <translation>名前、データセット、最適化手法、状態で絞り込み…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load into form</source>
        <translation>フォームに読み込む</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put the selected run&apos;s experiment back into the window.</source>
        <translation>選択した実行の設定をウィンドウに読み込みます。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export model…</source>
        <translation>モデルを書き出し…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the selected run&apos;s best model: safetensors weights or TorchScript.</source>
        <translation>選択した実行の最良のモデルを保存します (safetensors 形式の重み、または TorchScript)。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Report…</source>
        <translation>レポート…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>One selected run: its test report (HTML, PDF, JSON or CSV). Several: a comparison report, curves overlaid and metrics side by side.</source>
        <translation>実行を 1 つ選択した場合: そのテストレポート (HTML、PDF、JSON、CSV)。複数選択した場合: 曲線を重ね、評価指標を並べた比較レポート。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test…</source>
        <translation>テスト…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluate the selected run on the test set: once, for the model you chose on validation data. Every such look is counted in its report.</source>
        <translation>選択した実行をテストデータで評価します。検証データで選んだモデルについて 1 回だけ行ってください。評価した回数はすべてレポートに記録されます。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Validation accuracy at the best epoch (in brackets): the epoch the early-stopping monitor chose (lowest validation loss by default), whose weights &apos;restore best&apos; keeps and tests. Not the highest accuracy of any epoch.</source>
        <translation>最良エポック (括弧内) での検証データの正解率。最良エポックとは早期終了の監視対象で選ばれたエポック (既定では検証データの損失が最小のエポック) で、「最良エポックの重みを残す」ではその重みを残してテストします。全エポックの中で最も高い正解率ではありません。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Select several runs to overlay their curves; double-click a name to rename it, or the tags cell to tag it (comma-separated).</source>
        <translation>複数の実行を選択すると曲線を重ねて表示します。名前をダブルクリックすると名前を変更でき、タグのセルをダブルクリックするとタグを付けられます (カンマ区切り)。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Validation loss</source>
        <translation>検証データの損失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation accuracy</source>
        <translation>検証データの正解率</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Select two or more runs to see what differs.</source>
        <translation>2 つ以上の実行を選択すると、設定の違いを表示します。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Delete runs</source>
        <translation>実行の削除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {n} run(s) and their saved weights? This cannot be undone.</source>
        <translation>{n} 件の実行と、保存された重みを削除しますか？この操作は元に戻せません。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Export model</source>
        <translation>モデルの書き出し</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>safetensors weights (*.safetensors);;TorchScript (*.pt)</source>
        <translation>safetensors 形式の重み (*.safetensors);;TorchScript (*.pt)</translation>
    </message>
    <message>
        <location line="+137"/>
        <source>The selected runs have the same experiment.</source>
        <translation>選択した実行の設定はすべて同じです。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Evaluate on the test set</source>
        <translation>テストデータで評価</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evaluate run {id} ({name}) on the test set?

The test set judges the model you finally chose; choosing among runs by their test results makes that judgement too kind. This look is counted in the run&apos;s report.</source>
        <translation>実行 {id} ({name}) をテストデータで評価しますか？

テストデータは最終的に選んだモデルを評価するためのものです。テストデータの結果を見て実行を選ぶと、その評価は実際より甘くなります。この評価は実行のレポートに回数として記録されます。</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../workbench/ui/search_panel.py" line="+100"/>
        <source>random</source>
        <translation>ランダム</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>grid</source>
        <translation>グリッド</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Random search samples each trial&apos;s values; grid tries every combination.</source>
        <translation>ランダムは試行ごとに値をランダムにサンプリングし、グリッドはすべての組み合わせを試します。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Epochs per trial (early stopping still applies).</source>
        <translation>試行 1 回あたりのエポック数 (早期終了も有効です)。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all</source>
        <translation>すべて</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training samples per trial: a small subset makes many trials cheap.</source>
        <translation>試行 1 回あたりの訓練データのサンプル数。少なくすると、多くの試行を短時間で実行できます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>validation accuracy</source>
        <translation>検証データの正解率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation loss</source>
        <translation>検証データの損失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>off</source>
        <translation>なし</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>median rule</source>
        <translation>中央値ルール</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>successive halving</source>
        <translation>Successive Halving</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop a trial early when it is clearly behind the others at an epoch.</source>
        <translation>あるエポックの時点でほかの試行より明らかに劣っている試行を、早めに打ち切ります。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trials trained at once (auto: one per two cores); beyond the first, each in a process of its own.</source>
        <translation>同時に学習する試行の数 (自動: 2 コアにつき 1 つ)。2 つ目以降の試行は、それぞれ別のプロセスで実行します。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Searches in the run store: show one, or continue it.</source>
        <translation>実行の記録に保存された探索です。選ぶと表示され、続きを実行することもできます。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start search</source>
        <translation>探索開始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Narrow</source>
        <translation>範囲を絞り込む</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Propose a smaller space around the best trials (coarse to fine).</source>
        <translation>最良の試行の周りに、より狭い探索範囲を提案します (粗い探索から細かい探索へ)。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Apply best</source>
        <translation>最良値を適用</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Load the best trial&apos;s values into the hyperparameter form; Train then trains on the full training set and evaluates the test set once.</source>
        <translation>最良の試行の値をハイパーパラメータのフォームに読み込みます。その後「学習」を押すと、訓練データ全体で学習し、テストデータで 1 回評価します。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Attach to a shared study…</source>
        <translation>共有スタディに接続…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Watch a search that other processes or machines train through a shared storage (a PostgreSQL URL, an SQLite file or a journal file): its trials and their learning curves, live.</source>
        <translation>ほかのプロセスやマシンが共有ストレージ (PostgreSQL の URL、SQLite ファイル、ジャーナルファイル) を通して進めている探索を見ます。試行とその学習曲線をその場で表示します。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%v of %m trials</source>
        <translation>%v / %m 試行</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Scores on the validation split only; the test set stays untouched.</source>
        <translation>スコアは検証データだけで計算します。テストデータには手を付けません。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>best </source>
        <translation>上位 </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Search</source>
        <translation>探索</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Strategy</source>
        <translation>探索方法</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trials</source>
        <translation>試行回数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epochs per trial</source>
        <translation>試行あたりのエポック数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training subset</source>
        <translation>訓練データのサンプル数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Score</source>
        <translation>スコア</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pruning</source>
        <translation>枝刈り</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At once</source>
        <translation>同時実行数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Earlier searches:</source>
        <translation>過去の探索:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Learning curves of the</source>
        <translation>学習曲線:</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>No run store: a search records its trials there.</source>
        <translation>実行の記録先がありません。探索の試行はそこに記録されます。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Starting the search…</source>
        <translation>探索を開始しています…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stopping: trials in progress end within a batch…</source>
        <translation>停止しています。実行中の試行は 1 ミニバッチ以内に終了します…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>, continuing: {done} done</source>
        <translation>、続きから再開 ({done} 試行は完了済み)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search {study}: {total} trials, {workers} at a time{resumed}.</source>
        <translation>探索 {study}: 全 {total} 試行、同時に {workers} 試行{resumed}。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Trial {number}: {status}. Best so far: trial {best} ({score:.4f}).</source>
        <translation>試行 {number}: {status}。現在の最良: 試行 {best} ({score:.4f})。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Search ended: {error}</source>
        <translation>探索が終了しました: {error}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stopped after {done} of {total} trials; Start continues it.</source>
        <translation>{total} 試行のうち {done} 試行で停止しました。「探索開始」で続きを実行します。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Search done: {done} trials.</source>
        <translation>探索が完了しました: {done} 試行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Best: trial {number}, {score:.4f}. Apply best, then Train to evaluate the test set once.</source>
        <translation>最良: 試行 {number} ({score:.4f})。「最良値を適用」を押してから「学習」を押すと、テストデータで 1 回評価します。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Search could not run: {error}</source>
        <translation>探索を実行できませんでした: {error}</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>trial</source>
        <translation>試行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>status</source>
        <translation>状態</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+10"/>
        <source>score</source>
        <translation>スコア</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Narrowed around the best trials: {space}. Start runs the finer search.</source>
        <translation>最良の試行の周りに範囲を絞り込みました: {space}。「探索開始」で、より細かい探索を実行します。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No finished trial to apply yet.</source>
        <translation>適用できる完了済みの試行がまだありません。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>— new search —</source>
        <translation>— 新しい探索 —</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name} · {status} · {count} trials</source>
        <translation>{name} · {status} · {count} 試行</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Search {name} ({status}): {done} trials recorded. Start continues it.</source>
        <translation>探索 {name} ({status}): {done} 試行を記録済みです。「探索開始」で続きを実行します。</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>A training run is in progress.</source>
        <translation>学習を実行中です。</translation>
    </message>
</context>
<context>
    <name>SearchPlots</name>
    <message>
        <location filename="../../workbench/ui/search_plots.py" line="-110"/>
        <source>validation loss</source>
        <translation>検証データの損失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation accuracy</source>
        <translation>検証データの正解率</translation>
    </message>
</context>
<context>
    <name>SearchSpaceEditor</name>
    <message>
        <location filename="../../workbench/ui/search_space_editor.py" line="+36"/>
        <source>log-uniform range</source>
        <translation>範囲 (対数スケール)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>uniform range</source>
        <translation>範囲 (線形スケール)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>integer range</source>
        <translation>整数の範囲</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>choices</source>
        <translation>選択肢</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Setting</source>
        <translation>設定項目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Varies as</source>
        <translation>変え方</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Range or values</source>
        <translation>範囲または値</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Grid</source>
        <translation>グリッド</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>What each trial varies. Ranges are &apos;low, high&apos;; choices are a comma-separated list. Grid: how many points a float range gets in a grid search.</source>
        <translation>各試行で変える設定です。範囲は「下限, 上限」、選択肢はカンマ区切りのリストで指定します。グリッド: グリッドサーチで実数の範囲から取る点の数です。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add setting</source>
        <translation>設定を追加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Grid search: points across a float range (— for none)</source>
        <translation>グリッドサーチで実数の範囲から取る点の数 (— は指定なし)</translation>
    </message>
</context>
<context>
    <name>StudyAttach</name>
    <message>
        <location filename="../../workbench/ui/search_attach.py" line="+80"/>
        <source>Stop watching</source>
        <translation>表示をやめる</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opening study {study} in {storage}…</source>
        <translation>{storage} のスタディ {study} を開いています…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Study {study} in {storage}: {done} of {total} trials done, {running} running</source>
        <translation>{storage} のスタディ {study}: {total} 試行中 {done} 試行が終了、{running} 試行が実行中</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>, on {hosts}</source>
        <translation>、マシン: {hosts}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The search is done.</source>
        <translation>探索は終了しました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped watching; the search goes on.</source>
        <translation>表示をやめました。探索は続いています。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot watch the study: {error}</source>
        <translation>スタディを表示できません: {error}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Attach to a shared study…</source>
        <translation>共有スタディに接続…</translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <location filename="../../workbench/ui/training_controller.py" line="+247"/>
        <source>Epoch {epoch}/{epochs}: loss {loss:.4f}, val loss {val_loss:.4f}, val accuracy {val_acc:.3f}</source>
        <translation>エポック {epoch}/{epochs}: 損失 {loss:.4f}、検証データの損失 {val_loss:.4f}、検証データの正解率 {val_acc:.3f}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Variant {number}/{count} ({name}): </source>
        <translation>比較 {number}/{count} ({name}): </translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Cannot compare: {error}</source>
        <translation>比較できません: {error}</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Stopping after the current batch…</source>
        <translation>現在のミニバッチの後で停止します…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Loading PyTorch… training starts as soon as it has loaded.</source>
        <translation>PyTorch を読み込んでいます… 読み込みが終わりしだい学習を開始します。</translation>
    </message>
    <message>
        <location line="-39"/>
        <location line="+51"/>
        <location line="+3"/>
        <source>Cannot train: {error}</source>
        <translation>学習できません: {error}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{name}: epoch 1/{epochs}, training…</source>
        <translation>{name}: エポック 1/{epochs}、学習中…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name}: epoch 1/{epochs}, training on the Ray cluster at {address}…</source>
        <translation>{name}: エポック 1/{epochs}、{address} の Ray クラスタで学習中…</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Comparison done: a tie on val. accuracy at best epoch between {names} ({acc:.4f}).</source>
        <translation>比較が完了しました。最良エポックの検証データの正解率は {names} が同点です ({acc:.4f})。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Comparison done: best val. accuracy at best epoch is {name} ({acc:.4f}).</source>
        <translation>比較が完了しました。最良エポックの検証データの正解率が最も高いのは {name} です ({acc:.4f})。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The test set was not used: to evaluate the model you choose on it, select that run here and press Test….</source>
        <translation>テストデータは使っていません。選んだモデルをテストデータで評価するには、ここでその実行を選択して「テスト…」を押してください。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Wait for the current run to end, then test again.</source>
        <translation>現在の実行が終わってから、もう一度テストしてください。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Evaluating on the test set…</source>
        <translation>テストデータで評価しています…</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Cannot evaluate on the test set: {error}</source>
        <translation>テストデータで評価できません: {error}</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <location filename="../../workbench/ui/training_plots.py" line="+55"/>
        <source>Loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cross-entropy</source>
        <translation>交差エントロピー誤差</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accuracy</source>
        <translation>正解率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accuracy</source>
        <translation>正解率</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Per-batch loss</source>
        <translation>ミニバッチごとの損失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the training loss of every batch, faintly, behind the epoch points</source>
        <translation>各ミニバッチの訓練データの損失を、エポックごとの点の後ろに薄く表示します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log scale</source>
        <translation>対数スケール</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the loss on a logarithmic axis</source>
        <translation>損失を対数軸で表示します</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Exponential moving average of the per-batch loss, as in TensorBoard: 0 shows every batch as it was, 0.99 smooths most</source>
        <translation>ミニバッチごとの損失の指数移動平均 (TensorBoard と同じ)。0 では各ミニバッチの値をそのまま表示し、0.99 で最も強く平滑化します</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Smoothing</source>
        <translation>平滑化</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>Smoothing {weight}</source>
        <translation>平滑化 {weight}</translation>
    </message>
</context>
<context>
    <name>TrainingRun</name>
    <message>
        <location filename="../../workbench/ui/worker.py" line="+166"/>
        <source>its data: {error}</source>
        <translation>そのデータ: {error}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the Ray cluster at {address}: {reason}</source>
        <translation>{address} の Ray クラスタ: {reason}</translation>
    </message>
</context>
<context>
    <name>TrainingTab</name>
    <message>
        <location filename="../../workbench/ui/training_tab.py" line="+40"/>
        <source>Curves</source>
        <translation>学習曲線</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test results</source>
        <translation>テスト結果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loss, accuracy and learning rate, epoch by epoch</source>
        <translation>エポックごとの損失、正解率、学習率</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The test set&apos;s metrics and confusion matrix, once the run has ended</source>
        <translation>実行の終了後に表示される、テストデータでの評価指標と混同行列</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Decision boundary</source>
        <translation>決定境界</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The model&apos;s predicted class over the plane of the two input features, live</source>
        <translation>2 つの入力特徴量がつくる平面上で、モデルが推論したクラスをリアルタイムに表示します</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only for data with two input features: spiral, moons, circles, XOR, blobs, or a CSV of two feature columns</source>
        <translation>入力特徴量が 2 つのデータでのみ使えます: spiral、moons、circles、XOR、blobs、または特徴量が 2 列の CSV</translation>
    </message>
</context>
<context>
    <name>_WeightedFields</name>
    <message>
        <location filename="../../workbench/ui/layer_editor.py" line="+19"/>
        <source>The non-linearity after the layer. Sigmoid and tanh saturate, so deep stacks learn slowly; ReLU and its kin do not.</source>
        <translation>層の後に置く非線形の関数 (活性化関数) です。sigmoid と tanh は出力が飽和するため、層を深く重ねると学習が遅くなります。ReLU とその仲間は飽和しません。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Leaky ReLU: the slope for negative inputs.</source>
        <translation>Leaky ReLU: 入力が負のときの傾きです。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>How the weights start. He suits ReLU; Xavier suits sigmoid and tanh; a fixed small normal (std 0.01) makes deep networks stall.</source>
        <translation>重みの初期値です (6.2 重みの初期値)。ReLU には He の初期値、sigmoid と tanh には Xavier の初期値が適しています。標準偏差 0.01 の小さな正規分布で固定すると、深いネットワークでは学習が進まなくなります。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Standard deviation of the normal initialisation.</source>
        <translation>正規分布で初期化するときの標準偏差です。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activation</source>
        <translation>活性化関数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negative slope</source>
        <translation>負側の傾き</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initialisation</source>
        <translation>重みの初期値</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Init std</source>
        <translation>初期値の標準偏差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use for all Dense and Conv2d layers</source>
        <translation>すべての Dense 層と Conv2d 層に適用</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give every weighted layer this activation and initialisation, to compare initialisations or activations in one click.</source>
        <translation>重みを持つすべての層に、この活性化関数と重みの初期値を設定します。初期値や活性化関数をワンクリックで切り替えて比較できます。</translation>
    </message>
</context>
</TS>
